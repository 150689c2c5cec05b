/**
 * The digest algorithms signatures are checked over: the three a hashedrekord entry may name,
 * and the older ones PKCS#7 signer infos (relic accepts MD5, SHA-1, SHA-224) and alpine
 * packages (SHA-1) still use, with the facts the verifiers and the algorithm policy need.
 */
export type HashAlgorithm = 'sha256' | 'sha384' | 'sha512';

/** Every digest verifyDigestSignature takes; node:crypto's names. */
export type DigestAlgorithm = 'md5' | 'sha1' | 'sha224' | HashAlgorithm;

export const HASH_ALGORITHMS: readonly HashAlgorithm[] = ['sha256', 'sha384', 'sha512'];

export const HASH_SIZE: Readonly<Record<DigestAlgorithm, number>> = { md5: 16, sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };

/** Go's crypto.Hash String(), which appears in Rekor's error texts. */
export const GO_HASH_NAME: Readonly<Record<DigestAlgorithm, string>> = {
  md5: 'MD5',
  sha1: 'SHA-1',
  sha224: 'SHA-224',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};

export function isHashAlgorithm(value: string): value is HashAlgorithm {
  return (HASH_ALGORITHMS as readonly string[]).includes(value);
}
