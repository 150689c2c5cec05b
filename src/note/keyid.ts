/**
 * Key IDs that name a key on a signature line (first 4 bytes) and, in full, identify a log.
 *
 * - Rekor v1 uses one rule for every key type: SHA-256(SPKI DER). Its first 4 bytes are the
 *   checkpoint "key hint"; all 32 bytes are the logID.
 * - C2SP signed-note (Rekor v2): Ed25519 = SHA-256(name || 0x0A || 0x01 || 32-byte key);
 *   ECDSA = SHA-256(SPKI DER) (same as v1); RSA = SHA-256(name || 0x0A || 0xFF ||
 *   "PKIX-RSA-PKCS#1v1.5" || SPKI DER). A v2 log's ID is the full 32-byte hash.
 * - tlog-cosignature (witnesses): SHA-256(name || 0x0A || 0x04 || 32-byte Ed25519 key).
 */
import { createHash, type KeyObject } from 'node:crypto';
import { NoteError } from './errors.js';

export type KeyIdStyle = 'rekor-v1' | 'c2sp';

const ED25519_TYPE = 0x01;
const COSIGNATURE_V1_TYPE = 0x04;
const OTHER_TYPE = 0xff;
const RSA_IDENTIFIER = new TextEncoder().encode('PKIX-RSA-PKCS#1v1.5');
const encoder = new TextEncoder();

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return Uint8Array.from(hash.digest());
}

function typed(name: string, type: number, ...key: Uint8Array[]): Uint8Array {
  return sha256(encoder.encode(name), Uint8Array.of(0x0a, type), ...key);
}

/** Rekor v1 key hint: SHA-256(SPKI DER)[:4]. */
export function rekorKeyHint(spkiDer: Uint8Array): Uint8Array {
  return sha256(spkiDer).slice(0, 4);
}

/** Full C2SP Ed25519 hash; its first 4 bytes are the key ID, all 32 the Rekor v2 log ID. */
export function ed25519NoteHash(name: string, rawKey: Uint8Array): Uint8Array {
  if (rawKey.length !== 32) throw new NoteError('invalid_input', `ed25519 key has ${rawKey.length} bytes, want 32`);
  return typed(name, ED25519_TYPE, rawKey);
}

/** Full C2SP hash for an RSA PKCS#1 v1.5 key (rekor-tiles' 0xFF identifier). */
export function rsaNoteHash(name: string, spkiDer: Uint8Array): Uint8Array {
  return typed(name, OTHER_TYPE, RSA_IDENTIFIER, spkiDer);
}

/** tlog-cosignature/v1 key ID of an Ed25519 witness key. */
export function cosignatureKeyId(name: string, rawKey: Uint8Array): Uint8Array {
  if (rawKey.length !== 32) throw new NoteError('invalid_input', `ed25519 key has ${rawKey.length} bytes, want 32`);
  return typed(name, COSIGNATURE_V1_TYPE, rawKey).slice(0, 4);
}

export function spkiOf(publicKey: KeyObject): Uint8Array {
  return Uint8Array.from(publicKey.export({ format: 'der', type: 'spki' }));
}

/** The 32 raw bytes of an Ed25519 public key. */
export function rawEd25519(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new NoteError('invalid_input', 'not an ed25519 key');
  return Uint8Array.from(Buffer.from(jwk.x, 'base64url'));
}

/**
 * The full 32-byte identity of `publicKey` under `style`: Rekor v1's logID, or the C2SP hash
 * whose first 4 bytes are the note key ID (for Ed25519 and RSA it binds `name`).
 */
export function noteKeyHash(publicKey: KeyObject, name: string, style: KeyIdStyle): Uint8Array {
  const spki = spkiOf(publicKey);
  if (style === 'rekor-v1') return sha256(spki);
  switch (publicKey.asymmetricKeyType) {
    case 'ed25519':
      return ed25519NoteHash(name, rawEd25519(publicKey));
    case 'rsa':
      return rsaNoteHash(name, spki);
    case 'ec':
      return sha256(spki);
    default:
      throw new NoteError('invalid_input', `unsupported note key type ${String(publicKey.asymmetricKeyType)}`);
  }
}

/** The 4-byte key ID written on signature lines for `publicKey` under `style`. */
export function noteKeyId(publicKey: KeyObject, name: string, style: KeyIdStyle): Uint8Array {
  return noteKeyHash(publicKey, name, style).slice(0, 4);
}
