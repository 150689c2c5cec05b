/**
 * What both intoto versions share beyond the DSSE signing rules of ../dsse-signing.ts (PAE,
 * DSSE base64, the SHA-256 verifier, re-exported here): the signature limit, hashing, Rekor's
 * base64 error texts, and Go's view of JSON strings.
 */
import { createHash } from 'node:crypto';
import { RekorError } from '../../errors.js';
import { Base64Error } from '../../pki/base64.js';
import type { X509PublicKey } from '../../pki/x509/index.js';
import { decodeDsseBase64, loadDsseVerifier, pae, type DsseVerifier } from '../dsse-signing.js';
import { invalidEntry } from '../go-decode.js';

export { decodeDsseBase64, pae, type DsseVerifier };

/** signature.LoadVerifier(key, crypto.SHA256) with Rekor's intoto message for unusable keys. */
export function loadVerifier(key: X509PublicKey): DsseVerifier {
  return loadDsseVerifier(key, 'unsupported public key type');
}

/** Signatures accepted on one envelope; Rekor has no limit, this bounds the work per request. */
export const MAX_SIGNATURES = 16;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A Base64Error as Rekor reports it (Go's `illegal base64 data at input byte N`), with a prefix. */
export function base64Failure(err: unknown, prefix: string): RekorError {
  if (err instanceof Base64Error) return invalidEntry(`${prefix}${err.message}`);
  throw err;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A JSON string as Go's encoding/json holds it: lone UTF-16 surrogates become U+FFFD. */
export function goString(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}
