/**
 * The note module's one error class. Codes, not messages, are the contract:
 * - `malformed`: the input is not a well-formed signed note or checkpoint. The message is always
 *   the same short text, so a parser of untrusted input is no oracle.
 * - `no_matching_signature`: no signature line is by a key the caller trusts.
 * - `bad_signature`: a line by a trusted key (name and key ID both match) does not verify.
 * - `invalid_input`: the caller asked us to sign something that cannot be a note (a bug upstream).
 */
export type NoteErrorCode = 'malformed' | 'no_matching_signature' | 'bad_signature' | 'invalid_input';

export class NoteError extends Error {
  readonly code: NoteErrorCode;

  constructor(code: NoteErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NoteError';
    this.code = code;
  }
}

export function isNoteError(err: unknown, code?: NoteErrorCode): err is NoteError {
  return err instanceof NoteError && (code === undefined || err.code === code);
}
