/**
 * DSSE pieces both intoto versions share, matching what Rekor reaches through
 * go-securesystemslib/dsse and sigstore/sigstore's signature.LoadVerifier(key, SHA-256):
 * the pre-authentication encoding (PAE), DSSE's lenient base64 (standard, then URL alphabet),
 * and a verifier that hashes with SHA-256 whatever the key's curve or size (ECDSA ASN.1/DER only,
 * RSA PKCS#1 v1.5) and uses pure Ed25519. Verification never throws; it answers true or false.
 */
import { createHash, createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { RekorError } from '../../errors.js';
import { Base64Error, decodeStdBase64 } from '../../pki/base64.js';
import type { X509PublicKey } from '../../pki/x509/index.js';
import { invalidEntry } from '../go-decode.js';

/** Signatures accepted on one envelope; Rekor has no limit, this bounds the work per request. */
export const MAX_SIGNATURES = 16;

const [PLUS, SLASH, DASH, UNDERSCORE] = [0x2b, 0x2f, 0x2d, 0x5f];

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

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

/** A Base64Error as Rekor reports it (Go's `illegal base64 data at input byte N`), with a prefix. */
export function base64Failure(err: unknown, prefix: string): RekorError {
  if (err instanceof Base64Error) return invalidEntry(`${prefix}${err.message}`);
  throw err;
}

export type DsseVerifier = (message: Uint8Array, signature: Uint8Array) => boolean;

function keyObject(spki: Uint8Array): KeyObject | undefined {
  try {
    return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

/**
 * signature.LoadVerifier(key, crypto.SHA256): refuses key types it has no verifier for with
 * `unsupported public key type`, else returns a verifier of raw DSSE signatures over `message`.
 */
export function loadVerifier(key: X509PublicKey): DsseVerifier {
  const info = key.publicKey;
  if (info.kind === 'unsupported') throw invalidEntry('unsupported public key type');
  const object = keyObject(info.spki);
  if (object === undefined) throw invalidEntry('unsupported public key type');
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

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A JSON string as Go's encoding/json holds it: lone UTF-16 surrogates become U+FFFD. */
export function goString(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}
