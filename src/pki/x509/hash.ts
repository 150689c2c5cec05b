/**
 * The digest algorithms a hashedrekord entry may name, with the facts both verifier backends and
 * the algorithm policy need about them.
 */
export type HashAlgorithm = 'sha256' | 'sha384' | 'sha512';

export const HASH_ALGORITHMS: readonly HashAlgorithm[] = ['sha256', 'sha384', 'sha512'];

export const HASH_SIZE: Readonly<Record<HashAlgorithm, number>> = { sha256: 32, sha384: 48, sha512: 64 };

/** Go's crypto.Hash String(), which appears in Rekor's error texts. */
export const GO_HASH_NAME: Readonly<Record<HashAlgorithm, string>> = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };

export function isHashAlgorithm(value: string): value is HashAlgorithm {
  return (HASH_ALGORITHMS as readonly string[]).includes(value);
}
