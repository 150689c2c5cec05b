/**
 * Rekor v1 log identity: logID = SHA-256(DER SubjectPublicKeyInfo of the shard key), rendered as
 * 64 lower-case hex digits in the API; the checkpoint key hint is its first 4 bytes.
 */
import { rekorKeyHint, sha256 } from '../note/index.js';

/** The 32-byte log ID of a key given as SPKI DER. */
export function logIdOf(spkiDer: Uint8Array): Uint8Array {
  return sha256(spkiDer);
}

/** The 4-byte Rekor v1 checkpoint key hint of a key given as SPKI DER. */
export function keyHintOf(spkiDer: Uint8Array): Uint8Array {
  return rekorKeyHint(spkiDer);
}
