/**
 * Test support for the cose kind: COSE_Sign1 messages built with cbor-x and signed with
 * node:crypto (ES256 as raw r||s, PS256 as RSA-PSS SHA-256), and proposals wrapping them.
 * Not imported by production code.
 */
import { constants, sign } from 'node:crypto';
import { Encoder, Tag } from 'cbor-x';
import type { TestKey } from '../../../pki/x509/testonly.js';
import { sigStructure } from './verify.js';

const encoder = new Encoder({ useRecords: false, mapsAsObjects: false });

export const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');

export function encodeCbor(value: unknown): Uint8Array {
  return new Uint8Array(encoder.encode(value));
}

export interface MessageOptions {
  /** Protected header entries; default: alg for the key. */
  readonly headers?: ReadonlyArray<readonly [number | string, unknown]>;
  /** null sends a detached (nil) payload, signed over `payload`. */
  readonly detached?: boolean;
  readonly aad?: Uint8Array;
  readonly tagged?: boolean;
  /** Rewrites the signature before encoding. */
  readonly editSignature?: (signature: Uint8Array) => Uint8Array;
}

export function coseAlg(key: TestKey): number {
  return key.type.startsWith('RSA') ? -37 : -7;
}

export function signCose(key: TestKey, data: Uint8Array): Uint8Array {
  if (key.type.startsWith('RSA')) {
    const options = { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
    return new Uint8Array(sign('sha256', data, options));
  }
  return new Uint8Array(sign('sha256', data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' }));
}

/** A COSE_Sign1 message over `payload`, tagged 18 unless told otherwise. */
export function makeMessage(key: TestKey, payload: Uint8Array, opts: MessageOptions = {}): Uint8Array {
  const headers = new Map<number | string, unknown>(opts.headers ?? [[1, coseAlg(key)]]);
  const protectedBytes = encodeCbor(headers);
  let signature = signCose(key, sigStructure(protectedBytes, opts.aad ?? new Uint8Array(), payload));
  if (opts.editSignature) signature = opts.editSignature(signature);
  const body = [Buffer.from(protectedBytes), new Map(), opts.detached ? null : Buffer.from(payload), Buffer.from(signature)];
  return encodeCbor(opts.tagged === false ? body : new Tag(body, 18));
}

export function proposal(message: Uint8Array, pem: string, aad?: Uint8Array): Record<string, unknown> {
  return { message: b64(message), publicKey: b64(pem), data: aad === undefined ? {} : { aad: b64(aad) } };
}
