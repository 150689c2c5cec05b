/**
 * COSE_Sign1 signature verification as Rekor does it (pkg/types/cose/v0.0.1 getPublicKey, then
 * go-cose's NewVerifier and Sign1Message.Verify): the key decides the algorithm, ECDSA P-256 →
 * ES256 (-7, raw r||s signature) and RSA → PS256 (-37, RSA-PSS SHA-256, salt = hash length);
 * the protected header's alg must name that algorithm; the signature covers the CBOR
 * Sig_structure ["Signature1", protected, external_aad, payload]. Error texts are go-cose's and
 * Rekor's. Throws RekorError('invalid_entry').
 */
import { constants, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { PublicKeyInfo } from '../../../pki/x509/index.js';
import { invalidEntry } from '../../go-decode.js';
import { HEADER_ALG, type CoseSign1 } from './message.js';

export const ALG_ES256 = -7;
export const ALG_PS256 = -37;

/** RFC 8230 §6.1, enforced by go-cose's NewVerifier. */
const MIN_RSA_BITS = 2048;

interface CoseVerifier {
  readonly alg: number;
  readonly key: KeyObject;
}

/** Go's `%T` of the crypto.PublicKey x509.ParsePKIXPublicKey returns for a key kind. */
function goKeyType(info: PublicKeyInfo): string {
  if (info.kind === 'ed25519') return 'ed25519.PublicKey';
  if (info.kind === 'unsupported' && info.algorithm === 'dsa') return '*dsa.PublicKey';
  if (info.kind === 'unsupported' && info.algorithm === 'x25519') return '*ecdh.PublicKey';
  return '<nil>';
}

/** getPublicKey and gocose.NewVerifier: which algorithm this key verifies, or why none. */
export function coseVerifier(info: PublicKeyInfo): CoseVerifier {
  let alg: number;
  if (info.kind === 'rsa') {
    if (info.modulusBits < MIN_RSA_BITS) throw invalidEntry('RSA key must be at least 2048 bits long');
    alg = ALG_PS256;
  } else if (info.kind === 'ecdsa') {
    if (info.curve.name !== 'P-256') throw invalidEntry(`unsupported elliptic curve ${info.curve.name}`);
    alg = ALG_ES256;
  } else {
    throw invalidEntry(`unsupported algorithm type ${goKeyType(info)}`);
  }
  try {
    return { alg, key: createPublicKey({ key: Buffer.from(info.spki), format: 'der', type: 'spki' }) };
  } catch {
    throw invalidEntry('invalid public key');
  }
}

/** A CBOR head (major type + argument) in its shortest form. */
function cborHead(major: number, length: number): Buffer {
  const type = major << 5;
  if (length < 24) return Buffer.of(type | length);
  if (length < 0x100) return Buffer.of(type | 24, length);
  if (length < 0x10000) return Buffer.of(type | 25, length >> 8, length & 0xff);
  const head = Buffer.alloc(5);
  head[0] = type | 26;
  head.writeUInt32BE(length, 1);
  return head;
}

function bstr(bytes: Uint8Array): Buffer {
  return Buffer.concat([cborHead(2, bytes.length), bytes]);
}

/** RFC 9052 §4.4 Sig_structure for COSE_Sign1, deterministically encoded. */
export function sigStructure(protectedBytes: Uint8Array, externalAad: Uint8Array, payload: Uint8Array): Uint8Array {
  const context = Buffer.from('Signature1', 'utf8');
  return new Uint8Array(Buffer.concat([cborHead(4, 4), cborHead(3, context.length), context, bstr(protectedBytes), bstr(externalAad), bstr(payload)]));
}

function checkSignature(verifier: CoseVerifier, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    if (verifier.alg === ALG_ES256) {
      // go-cose wants exactly r||s, 32 bytes each; node would also refuse other lengths.
      if (signature.length !== 64) return false;
      return verify('sha256', data, { key: verifier.key, dsaEncoding: 'ieee-p1363' }, signature);
    }
    const options = { key: verifier.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
    return verify('sha256', data, options, signature);
  } catch {
    return false;
  }
}

/**
 * Sign1Message.Verify(externalAad, verifier). Returns the (attached) payload it verified.
 * go-cose lets a message without an alg header verify when external AAD is given; this
 * implementation always requires the alg header, as the kind's contract asks.
 */
export function verifyCoseSign1(message: CoseSign1, verifier: CoseVerifier, externalAad: Uint8Array): Uint8Array {
  if (message.signature.length === 0) throw invalidEntry('empty signature');
  if (message.payload === null) throw invalidEntry('missing payload');
  const alg = message.protectedHeaders.get(HEADER_ALG);
  if (alg === undefined) throw invalidEntry('algorithm not found');
  if (alg !== verifier.alg) throw invalidEntry('algorithm mismatch');
  const toBeSigned = sigStructure(message.protectedBytes, externalAad, message.payload);
  if (!checkSignature(verifier, toBeSigned, message.signature)) throw invalidEntry('verification error');
  return message.payload;
}
