/**
 * The pure-JS digest verifier: @noble/curves for ECDSA (node:crypto always hashes the message
 * first, and hashedrekord only has the digest), node:crypto's raw RSA plus written-out PKCS#1 v1.5
 * and PSS checks for RSA. Always available; about ten times slower than the native addon for ECDSA.
 */
import type { DigestBackend, EcdsaKeyMaterial } from './backend.js';
import { encodeCompactSignature } from './ecdsa-signature.js';
import type { DigestAlgorithm, HashAlgorithm } from './hash.js';
import { verifyPkcs1v15, verifyPss, type RsaKeyMaterial } from './rsa.js';

export const jsBackend: DigestBackend = {
  name: 'js',
  verifyEcdsa(key: EcdsaKeyMaterial, _hash: DigestAlgorithm, digest: Uint8Array, r: bigint, s: bigint): boolean {
    try {
      const compact = encodeCompactSignature(r, s, key.curve.byteLength);
      // lowS off: Go and OpenSSL accept both s and n - s.
      return key.curve.noble.verify(compact, digest, key.point, { prehash: false, lowS: false });
    } catch {
      return false;
    }
  },
  verifyRsa(key: RsaKeyMaterial, padding: 'pkcs1' | 'pss', hash: HashAlgorithm, digest: Uint8Array, signature: Uint8Array): boolean {
    return padding === 'pkcs1' ? verifyPkcs1v15(key, hash, digest, signature) : verifyPss(key, hash, digest, signature);
  },
};
