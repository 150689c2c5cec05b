/**
 * Errors from loading or using signing keys. These happen at start-up on operator input, so the
 * messages are explicit (they never contain key material or the password).
 */
export type KeyErrorCode = 'password_required' | 'wrong_password' | 'malformed_key' | 'unsupported_key' | 'invalid_input';

export class KeyError extends Error {
  readonly code: KeyErrorCode;

  constructor(code: KeyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KeyError';
    this.code = code;
  }
}
