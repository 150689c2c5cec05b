/**
 * Loads the N-API addon built from native/ (see native/rekor_native.c and
 * scripts/build-native.mjs) and wraps it as a DigestBackend. Loading is lazy and happens once;
 * an addon that is missing, of another ABI, or that fails a known-answer check is never used,
 * and the reason is kept for diagnostics. No environment variable is consulted: callers choose
 * the backend explicitly (see backend.ts).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { DigestBackend } from './backend.js';
import { HASH_SIZE, type HashAlgorithm } from './hash.js';

interface NativeAddon {
  readonly abi: number;
  verifyEcdsa(curveBits: number, point: Uint8Array, digest: Uint8Array, derSignature: Uint8Array): boolean;
  verifyRsa(spki: Uint8Array, padding: number, hashBits: number, digest: Uint8Array, signature: Uint8Array): boolean;
}

const PADDING = { pkcs1: 1, pss: 2 } as const;
const CURVE_BITS = { 'P-224': 224, 'P-256': 256, 'P-384': 384, 'P-521': 521 } as const;
const ABI = 2;

/** dist/src/pki/x509 (compiled) and src/pki/x509 (run from source) both reach the repository root. */
const CANDIDATES = ['../../../../native/build/Release/rekor_native.node', '../../../native/build/Release/rekor_native.node'];

// Known answer (made once with node:crypto): a P-256 public point, SHA-256("rekor-ts"), and a
// DER signature of that digest by the key. A usable addon accepts it and refuses it tampered.
const KAT = {
  point: Buffer.from(
    '0408254990149033e9a24580ad2921f14da28e0ac0b0218cdf644be903eb671770cd98e6cc6475d7e6b5c8719329bccea1d25dd60733e15435d29d5eb38ab6f2ee',
    'hex',
  ),
  digest: Buffer.from('c3f6418e288abf9fb1211f0cf220beba11e2dbaee2076bdb8265d78e70f32063', 'hex'),
  signature: Buffer.from(
    '3046022100a696d84aa778c71c559a0c6f136527a9c802cbdb221946c2c4c43412cbb23c5f022100c19ca3a8e9786f83ce5194744dad0f8300b93a4eb06cab91c41cbd5c72ac9d4f',
    'hex',
  ),
};

function passesKnownAnswer(addon: NativeAddon): boolean {
  const tampered = Buffer.from(KAT.digest);
  tampered[0] = (tampered[0] as number) ^ 1;
  return (
    addon.verifyEcdsa(256, KAT.point, KAT.digest, KAT.signature) === true &&
    addon.verifyEcdsa(256, KAT.point, tampered, KAT.signature) === false
  );
}

let loaded: { backend: DigestBackend | undefined; reason: string } | undefined;

function wrap(addon: NativeAddon): DigestBackend {
  return {
    name: 'native',
    verifyEcdsa(key, _hash, digest, _r, _s, der) {
      return addon.verifyEcdsa(CURVE_BITS[key.curve.name], key.point, digest, der);
    },
    verifyRsa(key, padding, hash: HashAlgorithm, digest, signature) {
      return addon.verifyRsa(key.spki, PADDING[padding], HASH_SIZE[hash] * 8, digest, signature);
    },
  };
}

function tryLoad(): { backend: DigestBackend | undefined; reason: string } {
  const require = createRequire(import.meta.url);
  const errors: string[] = [];
  for (const relative of CANDIDATES) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    let addon: NativeAddon;
    try {
      addon = require(path) as NativeAddon;
    } catch (err) {
      errors.push(`${path}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      continue;
    }
    if (addon.abi !== ABI || typeof addon.verifyEcdsa !== 'function' || typeof addon.verifyRsa !== 'function') {
      errors.push(`${path}: built for another interface (abi ${String(addon.abi)})`);
      continue;
    }
    if (!passesKnownAnswer(addon)) {
      errors.push(`${path}: failed its known-answer check`);
      continue;
    }
    return { backend: wrap(addon), reason: `loaded ${path}` };
  }
  return { backend: undefined, reason: errors.join('; ') || 'not built' };
}

/** The native backend, or undefined when the addon is unavailable. */
export function nativeBackend(): DigestBackend | undefined {
  loaded ??= tryLoad();
  return loaded.backend;
}

/** Why the native backend is (un)available, for logs and `rekor-server version`-style output. */
export function nativeBackendStatus(): string {
  loaded ??= tryLoad();
  return loaded.reason;
}
