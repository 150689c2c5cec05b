/**
 * The arithmetic behind x509 digest verification, in two interchangeable backends that give the
 * same verdict on every input: 'native' (the N-API addon over Node's own OpenSSL, ~10x faster for
 * ECDSA) and 'js' (@noble/curves and node:crypto). All parsing, encoding rules and policy live in
 * verify.ts; a backend only answers "does this verify". Ed25519ph is not here: OpenSSL 3.0 lacks
 * it, so both paths use ed25519ph.ts.
 *
 * Selection is explicit and process-wide: the composition root calls useVerifierBackend() once
 * from its configuration ('auto' = native when it loads, else js). Until then 'auto' applies.
 */
import { RekorError } from '../../errors.js';
import { jsBackend } from './backend-js.js';
import { nativeBackend, nativeBackendStatus } from './backend-native.js';
import type { EcdsaCurve } from './curves.js';
import type { DigestAlgorithm, HashAlgorithm } from './hash.js';
import type { RsaKeyMaterial } from './rsa.js';

export type VerifierBackendName = 'native' | 'js';
export type VerifierBackendChoice = VerifierBackendName | 'auto';

export interface EcdsaKeyMaterial {
  /** Canonical DER SubjectPublicKeyInfo. */
  readonly spki: Uint8Array;
  readonly curve: EcdsaCurve;
  /** Uncompressed SEC 1 point. */
  readonly point: Uint8Array;
}

export interface DigestBackend {
  readonly name: VerifierBackendName;
  /** `r` and `s` are already known to lie in [1, n-1]; `der` is their DER SEQUENCE. Any digest length (truncated to the order). */
  verifyEcdsa(key: EcdsaKeyMaterial, hash: DigestAlgorithm, digest: Uint8Array, r: bigint, s: bigint, der: Uint8Array): boolean;
  /** Key size, exponent and signature length are already checked by the caller. */
  verifyRsa(key: RsaKeyMaterial, padding: 'pkcs1' | 'pss', hash: HashAlgorithm, digest: Uint8Array, signature: Uint8Array): boolean;
}

export type { RsaKeyMaterial };

let active: DigestBackend | undefined;

/**
 * Chooses the backend for every later verification in this process and returns the one in use.
 * Asking for 'native' when the addon cannot be loaded throws RekorError('internal') with the reason.
 */
export function useVerifierBackend(choice: VerifierBackendChoice): VerifierBackendName {
  if (choice === 'js') {
    active = jsBackend;
  } else {
    const native = nativeBackend();
    if (native === undefined && choice === 'native') {
      throw new RekorError('internal', `native signature verifier unavailable: ${nativeBackendStatus()}`);
    }
    active = native ?? jsBackend;
  }
  return active.name;
}

/** The backend verifications use now (resolving 'auto' on first use). */
export function activeVerifierBackend(): VerifierBackendName {
  return currentBackend().name;
}

export function currentBackend(): DigestBackend {
  if (active === undefined) useVerifierBackend('auto');
  return active as DigestBackend;
}

/** A specific backend, e.g. to compare the two in tests; undefined if 'native' is not built. */
export function verifierBackend(name: VerifierBackendName): DigestBackend | undefined {
  return name === 'js' ? jsBackend : nativeBackend();
}

export { nativeBackendStatus };
