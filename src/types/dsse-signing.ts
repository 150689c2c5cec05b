/**
 * What the two DSSE-based kinds (dsse, intoto) share, as Rekor reaches it through
 * go-securesystemslib/dsse and sigstore's signature.LoadVerifier(key, SHA-256): the
 * pre-authentication encoding, DSSE's lenient base64 (standard, then the URL alphabet), and a
 * verifier that hashes with SHA-256 whatever the key's curve or size (ECDSA DER, RSA PKCS#1 v1.5)
 * and uses pure Ed25519. Verifiers never throw; they answer true or false.
 */
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { Base64Error, decodeStdBase64 } from '../pki/base64.js';
import type { X509PublicKey } from '../pki/x509/index.js';
import { invalidEntry } from './go-decode.js';

const [PLUS, SLASH, DASH, UNDERSCORE] = [0x2b, 0x2f, 0x2d, 0x5f];

/** DSSE v1 PAE: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in bytes. */
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = Buffer.from(payloadType, 'utf8');
  const head = Buffer.from(`DSSEv1 ${type.length} `, 'utf8');
  const middle = Buffer.from(` ${payload.length} `, 'utf8');
  return new Uint8Array(Buffer.concat([head, type, middle, payload]));
}

/**
 * go-securesystemslib's b64Decode: standard padded base64, and if that fails the URL alphabet
 * (still padded). Throws Base64Error with the standard decoder's offset. A string is read as UTF-8.
 */
export function decodeDsseBase64(input: Uint8Array | string): Uint8Array {
  const text = typeof input === 'string' ? new Uint8Array(Buffer.from(input, 'utf8')) : input;
  try {
    return decodeStdBase64(text);
  } catch (err) {
    // The URL alphabet differs only in '-' and '_'; text holding '+' or '/' cannot be URL base64.
    if (!(err instanceof Base64Error) || text.some((b) => b === PLUS || b === SLASH) || !text.some((b) => b === DASH || b === UNDERSCORE)) throw err;
    try {
      return decodeStdBase64(text.map((b) => (b === DASH ? PLUS : b === UNDERSCORE ? SLASH : b)));
    } catch {
      throw err;
    }
  }
}

export type DsseVerifier = (message: Uint8Array, signature: Uint8Array) => boolean;

/**
 * signature.LoadVerifier(key, crypto.SHA256): a key type it has no verifier for is refused with
 * RekorError('invalid_entry', unsupported), else the verifier of raw DSSE signatures over a PAE.
 */
export function loadDsseVerifier(key: X509PublicKey, unsupported: string): DsseVerifier {
  const info = key.publicKey;
  if (info.kind === 'unsupported') throw invalidEntry(unsupported);
  let object: KeyObject;
  try {
    object = createPublicKey({ key: Buffer.from(info.spki), format: 'der', type: 'spki' });
  } catch {
    throw invalidEntry(unsupported);
  }
  const digest = info.kind === 'ed25519' ? null : 'sha256';
  return (message, signature) => {
    if (signature.length === 0) return false;
    try {
      return cryptoVerify(digest, message, object, signature);
    } catch {
      return false;
    }
  };
}
