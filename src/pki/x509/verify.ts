/**
 * Signature verification over a digest (no message), with the rules and error texts of
 * sigstore's verifiers as Rekor's hashedrekord uses them: ECDSA in DER or IEEE P1363, RSA
 * PKCS#1 v1.5 (and PSS when the caller's policy allows it), Ed25519ph for Ed25519 keys.
 * The failure `reason` is the text Rekor puts after `verifying signature: `. Never throws for
 * any key/digest/signature bytes; the arithmetic runs on the selected backend (backend.ts).
 */
import { currentBackend, type DigestBackend } from './backend.js';
import { classifyEcdsaSignature, encodeDerSignature } from './ecdsa-signature.js';
import { verifyEd25519ph } from './ed25519ph.js';
import { GO_HASH_NAME, HASH_SIZE, type HashAlgorithm } from './hash.js';
import type { PublicKeyInfo } from './keys.js';

export type DigestVerification = { readonly valid: true } | { readonly valid: false; readonly reason: string };

export interface VerifyDigestOptions {
  /** Also accept RSA-PSS (any salt length) when PKCS#1 v1.5 fails. Rekor itself never does. */
  readonly allowRsaPss?: boolean;
  /** Defaults to the process-wide backend (backend.ts). */
  readonly backend?: DigestBackend;
}

const VALID: DigestVerification = { valid: true };

function invalid(reason: string): DigestVerification {
  return { valid: false, reason };
}

const RSA_FAILURE = 'crypto/rsa: verification error';
const MIN_RSA_BITS = 1024;
const MAX_RSA_BITS = 16384;
const MAX_RSA_EXPONENT = 2n ** 31n - 1n;

type Rsa = Extract<PublicKeyInfo, { kind: 'rsa' }>;
type Ecdsa = Extract<PublicKeyInfo, { kind: 'ecdsa' }>;

function verifyRsa(key: Rsa, hash: HashAlgorithm, digest: Uint8Array, signature: Uint8Array, opts: VerifyDigestOptions, backend: DigestBackend): DigestVerification {
  // Go's crypto/rsa refuses these keys outright; OpenSSL would accept some, so decide here.
  if (key.modulusBits < MIN_RSA_BITS || key.modulusBits > MAX_RSA_BITS) return invalid(RSA_FAILURE);
  if (key.exponent < 2n || key.exponent > MAX_RSA_EXPONENT || key.exponent % 2n === 0n) return invalid(RSA_FAILURE);
  if (signature.length !== Math.ceil(key.modulusBits / 8)) return invalid(RSA_FAILURE);
  if (backend.verifyRsa(key, 'pkcs1', hash, digest, signature)) return VALID;
  if (opts.allowRsaPss === true && backend.verifyRsa(key, 'pss', hash, digest, signature)) return VALID;
  return invalid(RSA_FAILURE);
}

function verifyEcdsa(key: Ecdsa, hash: HashAlgorithm, digest: Uint8Array, signature: Uint8Array, backend: DigestBackend): DigestVerification {
  const parsed = classifyEcdsaSignature(signature);
  const failure =
    parsed.form === 'asn1' ? 'invalid signature when validating ASN.1 encoded signature' : 'invalid signature when validating IEEE_P1363 encoded signature';
  if (parsed.rs === undefined) {
    return invalid(parsed.form === 'asn1' ? failure : 'ecdsa: Invalid IEEE_P1363 encoded bytes');
  }
  const { r, s } = parsed.rs;
  const n = key.curve.order;
  if (r <= 0n || s <= 0n || r >= n || s >= n) return invalid(failure);
  return backend.verifyEcdsa(key, hash, digest, r, s, encodeDerSignature(r, s)) ? VALID : invalid(failure);
}

/**
 * Verifies `signature` over `digest` (the output of `hash`) with `key`. The reason texts are
 * sigstore's: e.g. `invalid signature when validating ASN.1 encoded signature`.
 */
export function verifyDigestSignature(
  key: PublicKeyInfo,
  hash: HashAlgorithm,
  digest: Uint8Array,
  signature: Uint8Array,
  opts: VerifyDigestOptions = {},
): DigestVerification {
  if (key.kind === 'unsupported') return invalid('unsupported public key type');
  if (key.kind === 'ed25519') {
    // Rekor loads Ed25519 keys as Ed25519ph verifiers, which take only SHA-512 digests.
    if (hash !== 'sha512') return invalid(`unsupported hash algorithm: "${GO_HASH_NAME[hash]}" not in [SHA-512]`);
    if (digest.length !== HASH_SIZE.sha512) return invalid('unexpected length of digest for hash function specified');
    return verifyEd25519ph(key.key, digest, signature) ? VALID : invalid('failed to verify signature: ed25519: invalid signature');
  }
  if (digest.length !== HASH_SIZE[hash]) return invalid('unexpected length of digest for hash function specified');
  const backend = opts.backend ?? currentBackend();
  return key.kind === 'rsa' ? verifyRsa(key, hash, digest, signature, opts, backend) : verifyEcdsa(key, hash, digest, signature, backend);
}
