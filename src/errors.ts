/**
 * The one error class the log, the entry kinds and the server share. Each error carries a
 * string-literal code; src/server maps codes to HTTP statuses and Rekor's {"code","message"}
 * bodies in one table. Messages are lowercase and say what was expected. A message of an
 * `internal` error is never shown to a client.
 */
export type RekorErrorCode =
  /** 400 `error processing entry: <message>`: the proposed entry failed validation or verification. */
  | 'invalid_entry'
  /** 400 with the message as is: a malformed request outside entry processing. */
  | 'bad_request'
  /** 422 (Rekor's framework validation): `detail.validationCode` is the go-openapi code (601…). */
  | 'validation'
  /** 404: nothing at that index, UUID or path. */
  | 'not_found'
  /** 409: the identical entry is already in the active shard; `detail.entryId` names it. */
  | 'duplicate_entry'
  /** 413: a body or a field over its configured limit. */
  | 'too_large'
  /** 503: the sequencer's queue is full; retry later. */
  | 'overloaded'
  /** 501: the operation is switched off on this server. */
  | 'not_enabled'
  /** 500: a bug or a storage failure; the message is logged, never returned. */
  | 'internal';

export interface RekorErrorDetail {
  validationCode?: number;
  entryId?: string;
  retryAfterSeconds?: number;
}

export class RekorError extends Error {
  readonly code: RekorErrorCode;
  readonly detail: RekorErrorDetail;

  constructor(code: RekorErrorCode, message: string, options?: { cause?: unknown; detail?: RekorErrorDetail }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RekorError';
    this.code = code;
    this.detail = options?.detail ?? {};
  }
}

export function isRekorError(err: unknown, code?: RekorErrorCode): err is RekorError {
  return err instanceof RekorError && (code === undefined || err.code === code);
}
