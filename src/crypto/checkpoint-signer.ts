/**
 * Turns a LogSigner into a note signer for checkpoints. Rekor v1 servers name the signature with
 * their hostname and use the v1 key hint (SHA-256(SPKI)[:4]) for every key type; Rekor v2 uses
 * C2SP key IDs (which differ from the v1 hint for Ed25519 and RSA).
 */
import { noteKeyId, type KeyIdStyle, type NoteSigner } from '../note/index.js';
import type { LogSigner } from './signer.js';

export function checkpointSigner(signer: LogSigner, name: string, style: KeyIdStyle = 'rekor-v1'): NoteSigner {
  return { name, keyId: noteKeyId(signer.publicKey, name, style), sign: (message) => signer.sign(message) };
}
