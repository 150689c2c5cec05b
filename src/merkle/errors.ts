/**
 * The one error class of the merkle module. Callers branch on `code`, never on the message.
 * Messages are lowercase and say what was expected (`wrong proof size 4, want 3`); for the
 * verification errors they follow transparency-dev/merkle's wording so logs are comparable.
 */
export type MerkleErrorCode =
  /** A leaf or node index outside the tree (or not a uint64). */
  | 'invalid_index'
  /** A tree size that is negative, above 2^64-1, or inconsistent with another size. */
  | 'invalid_size'
  /** A proof with more or fewer hashes than the sizes require. */
  | 'wrong_proof_size'
  /** A recomputed root differs from the expected root. */
  | 'root_mismatch'
  /** A leaf hash or proof hash that is not HASH_SIZE bytes. */
  | 'invalid_hash'
  /** Malformed arguments: tile ids, tile data, edge sets, hash counts. */
  | 'invalid_input';

export class MerkleError extends Error {
  readonly code: MerkleErrorCode;

  constructor(code: MerkleErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MerkleError';
    this.code = code;
  }
}

export function isMerkleError(err: unknown, code?: MerkleErrorCode): err is MerkleError {
  return err instanceof MerkleError && (code === undefined || err.code === code);
}
