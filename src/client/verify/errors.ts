/**
 * The one error class of offline verification. Callers and tests branch on `code`; the message
 * names what failed (which field, which proof step, which checkpoint line) for humans.
 */
export type VerificationErrorCode =
  /** The entry, bundle or one of its fields is not what the format says (bad JSON, negative index, bad encoding). */
  | 'MALFORMED'
  /** The trust material itself is unusable. */
  | 'INVALID_TRUST'
  /** No trusted log has the entry's log ID (or its key was not valid at the entry's time). */
  | 'NO_TRUSTED_LOG'
  /** A bundle has no transparency log entries. */
  | 'NO_TLOG_ENTRIES'
  /** The body's kind/apiVersion differ from the bundle entry's kindVersion. */
  | 'KIND_VERSION_MISMATCH'
  /** The leaf hash of the body differs from the entry UUID. */
  | 'BODY_HASH_MISMATCH'
  | 'INCLUSION_PROOF_INVALID'
  | 'INCLUSION_PROOF_MISSING'
  /** The checkpoint note does not parse. */
  | 'CHECKPOINT_MALFORMED'
  /** No checkpoint signature by the log, a log signature that does not verify, or a wrong origin. */
  | 'CHECKPOINT_INVALID'
  /** The signed checkpoint is for another tree size or root than the inclusion proof. */
  | 'CHECKPOINT_MISMATCH'
  | 'CHECKPOINT_MISSING'
  | 'SET_INVALID'
  | 'SET_MISSING'
  /** Nothing signed by the log (neither a checkpoint nor a SET) vouches for the entry. */
  | 'UNSIGNED_ENTRY';

export class VerificationError extends Error {
  readonly code: VerificationErrorCode;

  constructor(code: VerificationErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VerificationError';
    this.code = code;
  }
}

export function isVerificationError(err: unknown, code?: VerificationErrorCode): err is VerificationError {
  return err instanceof VerificationError && (code === undefined || err.code === code);
}
