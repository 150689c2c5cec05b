/**
 * Public keys as they arrive from trust material: PEM text, DER SubjectPublicKeyInfo, or (the
 * trusted_root.json quirk for RSA PKCS#1 keyDetails) a DER PKCS#1 RSAPublicKey. Throws KeyError.
 */
import { createPublicKey, KeyObject } from 'node:crypto';
import { KeyError } from './errors.js';

export function publicKeyFromPem(pem: string): KeyObject {
  try {
    const key = createPublicKey({ key: pem, format: 'pem' });
    if (key.type !== 'public') throw new Error('not a public key');
    return key;
  } catch (err) {
    throw new KeyError('malformed_key', 'cannot parse the public key PEM', { cause: err });
  }
}

/** Parses DER SPKI; when that fails and `allowPkcs1` is set, DER PKCS#1 RSAPublicKey. */
export function publicKeyFromDer(der: Uint8Array, options: { allowPkcs1?: boolean } = {}): KeyObject {
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
  try {
    return createPublicKey({ key, format: 'der', type: 'spki' });
  } catch (err) {
    if (options.allowPkcs1 === true) {
      try {
        return createPublicKey({ key, format: 'der', type: 'pkcs1' });
      } catch {
        // fall through to the SPKI error, the usual encoding
      }
    }
    throw new KeyError('malformed_key', 'cannot parse the DER public key', { cause: err });
  }
}

/** A KeyObject, PEM text or DER SPKI bytes, as a public KeyObject. */
export function toPublicKey(input: KeyObject | string | Uint8Array): KeyObject {
  if (input instanceof KeyObject) {
    if (input.type === 'public') return input;
    if (input.type === 'private') return createPublicKey(input);
    throw new KeyError('invalid_input', 'a secret key is not a public key');
  }
  return typeof input === 'string' ? publicKeyFromPem(input) : publicKeyFromDer(input);
}
