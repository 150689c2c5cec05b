/**
 * Verifying an .apk signature as Rekor does (alpine.Package.VerifySignature → sigstore's
 * LoadUnsafeVerifier with the control member's SHA-1 digest): RSA keys check PKCS#1 v1.5 with
 * SHA-1 whatever the `.SIGN.RSA*` member is called (so abuild's newer `.SIGN.RSA256.` SHA-256
 * signatures do not verify in Rekor either), ECDSA keys check the SHA-1 digest as is, Ed25519 keys
 * always fail (`message cannot be nil`: the verifier wants the message, which Rekor does not pass).
 * No chain validation: only the key is used. Returns the failure reason or undefined.
 */
import { verifyDigestSignature, type PublicKeyInfo } from '../../pki/x509/index.js';

/** Checks `signature` over the control member's SHA-1 `digest`; returns Rekor's reason on failure. */
export function verifyApkSignature(key: PublicKeyInfo, digest: Uint8Array, signature: Uint8Array): string | undefined {
  if (key.kind === 'ed25519') return 'message cannot be nil';
  const verdict = verifyDigestSignature(key, 'sha1', digest, signature);
  return verdict.valid ? undefined : verdict.reason;
}
