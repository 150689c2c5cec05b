/**
 * The one place signatures over a digest (no message) are checked. verifyRsaDigest and
 * verifyEcdsaDigest are Go's crypto/rsa and crypto/ecdsa verdicts (including Go's RSA key limits,
 * which OpenSSL does not apply) for every caller: hashedrekord, alpine, PKCS#7 signer infos.
 * verifyDigestSignature adds the rules and error texts of sigstore's verifiers as Rekor's
 * hashedrekord and alpine use them: ECDSA in DER or IEEE P1363, RSA PKCS#1 v1.5 (and PSS when the
 * caller's policy allows it), Ed25519ph for Ed25519 keys; its failure `reason` is the text Rekor
 * puts after `verifying signature: `. Nothing here throws for any key/digest/signature bytes.
 * The arithmetic runs on the selected backend (backend.ts), except RSA over the older digests
 * and fixed-salt PSS, which only PKCS#7 and alpine need and which run on the JS code (rsa.ts).
 */
import { currentBackend, type DigestBackend } from './backend.js';
import { classifyEcdsaSignature, encodeDerSignature } from './ecdsa-signature.js';
import { verifyEd25519ph } from './ed25519ph.js';
import { GO_HASH_NAME, HASH_SIZE, isHashAlgorithm, type DigestAlgorithm } from './hash.js';
import type { PublicKeyInfo } from './keys.js';
import { verifyPkcs1v15, verifyPss, type Pkcs1Hash } from './rsa.js';

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

export type RsaPublicKey = Extract<PublicKeyInfo, { kind: 'rsa' }>;
export type EcdsaPublicKey = Extract<PublicKeyInfo, { kind: 'ecdsa' }>;

export interface RsaDigestOptions {
  /** RSA-PSS instead of PKCS#1 v1.5: 'auto' takes any salt length (Go's PSSSaltLengthAuto). */
  readonly pssSaltLength?: number | 'auto';
  readonly backend?: DigestBackend;
}

/**
 * Go's rsa.VerifyPKCS1v15 / rsa.VerifyPSS over `digest` (the output of `hash`; `'none'` is Go's
 * hash 0, a bare digest without DigestInfo). Go refuses keys of under 1024 or over 16384 bits and
 * even or out-of-range exponents before any arithmetic; OpenSSL would accept some, so decide here.
 */
export function verifyRsaDigest(key: RsaPublicKey, hash: Pkcs1Hash, digest: Uint8Array, signature: Uint8Array, opts: RsaDigestOptions = {}): boolean {
  if (key.modulusBits < MIN_RSA_BITS || key.modulusBits > MAX_RSA_BITS) return false;
  if (key.exponent < 2n || key.exponent > MAX_RSA_EXPONENT || key.exponent % 2n === 0n) return false;
  if (signature.length !== Math.ceil(key.modulusBits / 8)) return false;
  const salt = opts.pssSaltLength;
  if (hash !== 'none' && isHashAlgorithm(hash) && (salt === undefined || salt === 'auto')) {
    return (opts.backend ?? currentBackend()).verifyRsa(key, salt === undefined ? 'pkcs1' : 'pss', hash, digest, signature);
  }
  if (salt === undefined) return verifyPkcs1v15(key, hash, digest, signature);
  return hash !== 'none' && verifyPss(key, hash, digest, signature, salt === 'auto' ? undefined : salt);
}

/** Go's ecdsa.Verify over `digest` with `r` and `s` as read from the signature (any sign). */
export function verifyEcdsaDigest(key: EcdsaPublicKey, hash: DigestAlgorithm, digest: Uint8Array, r: bigint, s: bigint, backend?: DigestBackend): boolean {
  const n = key.curve.order;
  if (r <= 0n || s <= 0n || r >= n || s >= n) return false;
  return (backend ?? currentBackend()).verifyEcdsa(key, hash, digest, r, s, encodeDerSignature(r, s));
}

function verifyEcdsa(key: EcdsaPublicKey, hash: DigestAlgorithm, digest: Uint8Array, signature: Uint8Array, backend: DigestBackend | undefined): DigestVerification {
  const parsed = classifyEcdsaSignature(signature);
  const failure =
    parsed.form === 'asn1' ? 'invalid signature when validating ASN.1 encoded signature' : 'invalid signature when validating IEEE_P1363 encoded signature';
  if (parsed.rs === undefined) {
    return invalid(parsed.form === 'asn1' ? failure : 'ecdsa: Invalid IEEE_P1363 encoded bytes');
  }
  return verifyEcdsaDigest(key, hash, digest, parsed.rs.r, parsed.rs.s, backend) ? VALID : invalid(failure);
}

/**
 * Verifies `signature` over `digest` (the output of `hash`) with `key`. The reason texts are
 * sigstore's: e.g. `invalid signature when validating ASN.1 encoded signature`.
 */
export function verifyDigestSignature(
  key: PublicKeyInfo,
  hash: DigestAlgorithm,
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
  if (key.kind === 'ecdsa') return verifyEcdsa(key, hash, digest, signature, opts.backend);
  const on = opts.backend === undefined ? {} : { backend: opts.backend };
  if (verifyRsaDigest(key, hash, digest, signature, on)) return VALID;
  if (opts.allowRsaPss === true && verifyRsaDigest(key, hash, digest, signature, { ...on, pssSaltLength: 'auto' })) return VALID;
  return invalid(RSA_FAILURE);
}
