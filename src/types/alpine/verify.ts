/**
 * Verifying an .apk signature as Rekor does (alpine.Package.VerifySignature → sigstore's
 * LoadUnsafeVerifier with the control member's SHA-1 digest): RSA keys check PKCS#1 v1.5 with
 * SHA-1 whatever the `.SIGN.RSA*` member is called (so abuild's newer `.SIGN.RSA256.` SHA-256
 * signatures do not verify in Rekor either), ECDSA keys check the SHA-1 digest as is, Ed25519 keys
 * always fail (`message cannot be nil`: the verifier wants the message, which Rekor does not pass).
 * No chain validation: only the key is used. Returns the failure reason or undefined.
 */
import { encodeCompactSignature, classifyEcdsaSignature } from '../../pki/x509/ecdsa-signature.js';
import type { PublicKeyInfo } from '../../pki/x509/index.js';
import { verifyPkcs1v15 } from '../../pki/x509/rsa.js';

const RSA_FAILURE = 'crypto/rsa: verification error';
// Go's crypto/rsa limits, as the team's digest verifier applies them (pki/x509/verify.ts).
const MIN_RSA_BITS = 1024;
const MAX_RSA_BITS = 16384;
const MAX_RSA_EXPONENT = 2n ** 31n - 1n;

type Rsa = Extract<PublicKeyInfo, { kind: 'rsa' }>;
type Ecdsa = Extract<PublicKeyInfo, { kind: 'ecdsa' }>;

function verifyRsaSha1(key: Rsa, digest: Uint8Array, signature: Uint8Array): string | undefined {
  if (key.modulusBits < MIN_RSA_BITS || key.modulusBits > MAX_RSA_BITS) return RSA_FAILURE;
  if (key.exponent < 2n || key.exponent > MAX_RSA_EXPONENT || key.exponent % 2n === 0n) return RSA_FAILURE;
  if (signature.length !== Math.ceil(key.modulusBits / 8)) return RSA_FAILURE;
  return verifyPkcs1v15(key, 'sha1', digest, signature) ? undefined : RSA_FAILURE;
}

function verifyEcdsaDigest(key: Ecdsa, digest: Uint8Array, signature: Uint8Array): string | undefined {
  const parsed = classifyEcdsaSignature(signature);
  const failure =
    parsed.form === 'asn1' ? 'invalid signature when validating ASN.1 encoded signature' : 'invalid signature when validating IEEE_P1363 encoded signature';
  if (parsed.rs === undefined) return parsed.form === 'asn1' ? failure : 'ecdsa: Invalid IEEE_P1363 encoded bytes';
  const { r, s } = parsed.rs;
  const n = key.curve.order;
  if (r <= 0n || s <= 0n || r >= n || s >= n) return failure;
  try {
    const compact = encodeCompactSignature(r, s, key.curve.byteLength);
    // prehash off: the SHA-1 digest is the message representative, as in Go's ecdsa.Verify.
    return key.curve.noble.verify(compact, digest, key.point, { prehash: false, lowS: false }) ? undefined : failure;
  } catch {
    return failure;
  }
}

/** Checks `signature` over the control member's SHA-1 `digest`; returns Rekor's reason on failure. */
export function verifyApkSignature(key: PublicKeyInfo, digest: Uint8Array, signature: Uint8Array): string | undefined {
  switch (key.kind) {
    case 'rsa':
      return verifyRsaSha1(key, digest, signature);
    case 'ecdsa':
      return verifyEcdsaDigest(key, digest, signature);
    case 'ed25519':
      return 'message cannot be nil';
    case 'unsupported':
      return 'unsupported public key type';
  }
}
