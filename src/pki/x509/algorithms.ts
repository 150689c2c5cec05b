/**
 * The signing-algorithm registry behind Rekor's `--client-signing-algorithms` flag (sigstore's
 * algorithm_registry.go): flag names, what key and digest each one admits, and Rekor's default
 * set. A key/digest pair is permitted when some allowed entry matches the key type, the RSA
 * modulus size (in whole bytes x 8, as Go's Size()*8) or the curve, and the digest exactly.
 */
import { RekorError } from '../../errors.js';
import type { EcdsaCurveName } from './curves.js';
import type { HashAlgorithm } from './hash.js';
import type { PublicKeyInfo } from './keys.js';

interface AlgorithmDetails {
  readonly key: 'rsa' | 'ecdsa' | 'ed25519';
  /** undefined for pure Ed25519, which never matches a digest. */
  readonly hash: HashAlgorithm | undefined;
  readonly rsaBits?: number;
  readonly rsaPss?: boolean;
  readonly curve?: EcdsaCurveName;
}

const REGISTRY = {
  'rsa-sign-pkcs1-2048-sha256': { key: 'rsa', hash: 'sha256', rsaBits: 2048 },
  'rsa-sign-pkcs1-3072-sha256': { key: 'rsa', hash: 'sha256', rsaBits: 3072 },
  'rsa-sign-pkcs1-4096-sha256': { key: 'rsa', hash: 'sha256', rsaBits: 4096 },
  'rsa-sign-pss-2048-sha256': { key: 'rsa', hash: 'sha256', rsaBits: 2048, rsaPss: true },
  'rsa-sign-pss-3072-sha256': { key: 'rsa', hash: 'sha256', rsaBits: 3072, rsaPss: true },
  'rsa-sign-pss-4096-sha256': { key: 'rsa', hash: 'sha256', rsaBits: 4096, rsaPss: true },
  'ecdsa-sha2-256-nistp256': { key: 'ecdsa', hash: 'sha256', curve: 'P-256' },
  'ecdsa-sha2-384-nistp384': { key: 'ecdsa', hash: 'sha384', curve: 'P-384' },
  'ecdsa-sha2-256-nistp384': { key: 'ecdsa', hash: 'sha256', curve: 'P-384' },
  'ecdsa-sha2-512-nistp521': { key: 'ecdsa', hash: 'sha512', curve: 'P-521' },
  'ecdsa-sha2-256-nistp521': { key: 'ecdsa', hash: 'sha256', curve: 'P-521' },
  ed25519: { key: 'ed25519', hash: undefined },
  'ed25519-ph': { key: 'ed25519', hash: 'sha512' },
} as const satisfies Record<string, AlgorithmDetails>;

export type SigningAlgorithm = keyof typeof REGISTRY;

export const SIGNING_ALGORITHMS = Object.keys(REGISTRY) as SigningAlgorithm[];

/** Rekor's default (pkg/api AllowedClientSigningAlgorithms): no PSS, no SHA-256 on P-384/P-521. */
export const DEFAULT_SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = [
  'rsa-sign-pkcs1-2048-sha256',
  'rsa-sign-pkcs1-3072-sha256',
  'rsa-sign-pkcs1-4096-sha256',
  'ecdsa-sha2-256-nistp256',
  'ecdsa-sha2-384-nistp384',
  'ecdsa-sha2-512-nistp521',
  'ed25519',
  'ed25519-ph',
];

export function isSigningAlgorithm(name: string): name is SigningAlgorithm {
  return Object.hasOwn(REGISTRY, name);
}

/** Validates flag values; throws RekorError('bad_request') naming every unknown one. */
export function parseSigningAlgorithms(names: readonly string[]): SigningAlgorithm[] {
  const unknown = names.filter((n) => !isSigningAlgorithm(n));
  if (unknown.length > 0) {
    throw new RekorError('bad_request', `unknown signing algorithm(s): ${unknown.join(', ')} (known: ${SIGNING_ALGORITHMS.join(', ')})`);
  }
  return [...new Set(names as SigningAlgorithm[])];
}

function keyMatches(details: AlgorithmDetails, key: PublicKeyInfo): boolean {
  switch (key.kind) {
    case 'rsa':
      return details.key === 'rsa' && Math.ceil(key.modulusBits / 8) * 8 === details.rsaBits;
    case 'ecdsa':
      return details.key === 'ecdsa' && key.curve.name === details.curve;
    case 'ed25519':
      return details.key === 'ed25519';
    default:
      return false;
  }
}

/** Whether `allowed` admits this key with this digest algorithm (Rekor's IsAlgorithmPermitted). */
export function isAlgorithmPermitted(key: PublicKeyInfo, hash: HashAlgorithm, allowed: readonly SigningAlgorithm[]): boolean {
  return allowed.some((name) => {
    const details: AlgorithmDetails = REGISTRY[name];
    return keyMatches(details, key) && details.hash === hash;
  });
}

/** Whether an allowed RSA-PSS entry matches this key and digest (then PSS signatures verify). */
export function allowsRsaPss(key: PublicKeyInfo, hash: HashAlgorithm, allowed: readonly SigningAlgorithm[]): boolean {
  return allowed.some((name) => {
    const details: AlgorithmDetails = REGISTRY[name];
    return details.rsaPss === true && keyMatches(details, key) && details.hash === hash;
  });
}
