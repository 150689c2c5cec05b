/**
 * TUF public keys as go-tuf v0.7 (with Rekor's `set_ecdsa` import) turns them into verifiers.
 * The `keytype` alone decides (the `scheme` is ignored): `ed25519` (hex key), `ecdsa` and
 * `ecdsa-sha2-nistp256` (PEM SubjectPublicKeyInfo of any ECDSA curve, or else the legacy hex
 * uncompressed P-256 point; SHA-256, ASN.1 signature), `rsa` (PEM SubjectPublicKeyInfo;
 * RSASSA-PSS with SHA-256 and any salt length). Parse failures are RekorError('invalid_entry')
 * with go-tuf's texts; signature checks return a boolean.
 */
import { constants, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { RekorError } from '../../errors.js';
import { decodePem } from '../pem.js';
import { parsePublicKeyInfo, type PublicKeyInfo } from '../x509/index.js';
import { canonicalJson } from './cjson.js';
import { isObject, member, rawMember, stringArray, typeError, type JsonObject } from './go-json.js';
import { decodeHexBytes } from './hex.js';

export interface TufVerifier {
  /** What go-tuf derives the key's own ID from; equal identities count once toward a threshold. */
  readonly identity: string;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

function unmarshalError(detail: string): RekorError {
  return new RekorError('invalid_entry', `tuf: error unmarshalling key: ${detail}`);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * `keyval` decoded into a verifier struct with one `public` field: an absent keyval reads as
 * EOF, null as an empty struct, anything but an object is a type error.
 */
function publicMember(keyval: unknown, struct: string): unknown {
  if (keyval === undefined) throw unmarshalError('tuf: the public key is truncated or too large: EOF');
  if (keyval === null) return undefined;
  if (!isObject(keyval)) throw unmarshalError(typeError(keyval, struct).message);
  return member(keyval, 'public');
}

function hexPublic(keyval: unknown, struct: string): Uint8Array {
  const value = publicMember(keyval, struct);
  if (value === undefined) return new Uint8Array(0);
  try {
    return decodeHexBytes(value);
  } catch (err) {
    throw unmarshalError(message(err));
  }
}

/** PKIXPublicKey.UnmarshalJSON: a JSON string holding a `PUBLIC KEY` PEM block; its key, if of `kind`. */
function pemPublic(keyval: unknown, struct: string, kind: 'ecdsa' | 'rsa'): { key: KeyObject; info: PublicKeyInfo } {
  const value = publicMember(keyval, struct);
  // A null or absent `public` leaves Go with a nil key it then dereferences; refuse it.
  if (value === undefined) throw unmarshalError('invalid public key');
  if (typeof value !== 'string') throw unmarshalError(typeError(value, 'string').message);
  const { block } = decodePem(Buffer.from(value, 'utf8'));
  if (block === undefined) throw unmarshalError('invalid PEM value');
  if (block.type !== 'PUBLIC KEY') throw unmarshalError(`invalid block type: ${block.type}`);
  let info;
  try {
    info = parsePublicKeyInfo(block.bytes);
  } catch (err) {
    throw unmarshalError(message(err));
  }
  if (info.kind !== kind) throw unmarshalError('invalid public key');
  return { key: spkiKey(info.spki), info };
}

/** A KeyObject for a SubjectPublicKeyInfo Go accepted; OpenSSL refusing it is a bad key too. */
function spkiKey(spki: Uint8Array): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch (err) {
    throw unmarshalError(message(err));
  }
}

function ed25519Verifier(keyval: unknown): (m: Uint8Array, s: Uint8Array) => boolean {
  const raw = hexPublic(keyval, 'keys.ed25519Verifier');
  if (raw.length !== 32) throw unmarshalError(`tuf: unexpected public key length for ed25519 key, expected 32, got ${raw.length}`);
  // Ed25519 SubjectPublicKeyInfo: fixed 12-byte prefix, then the key.
  const key = spkiKey(Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]));
  return (m, s) => s.length === 64 && verify(null, m, key, s);
}

function ecdsaVerifier(keyval: unknown): (m: Uint8Array, s: Uint8Array) => boolean {
  let key: KeyObject;
  try {
    key = pemPublic(keyval, 'keys.EcdsaVerifier', 'ecdsa').key;
  } catch {
    // The legacy form; when both fail, go-tuf reports the legacy parser's error.
    key = legacyP256Key(hexPublic(keyval, 'keys.deprecatedP256Verifier'));
  }
  return (m, s) => verify('sha256', m, { key, dsaEncoding: 'der' }, s);
}

/** elliptic.Unmarshal(P256, …): an uncompressed point on the curve. */
function legacyP256Key(point: Uint8Array): KeyObject {
  const invalid = unmarshalError('tuf: invalid ecdsa public key point');
  if (point.length !== 65 || point[0] !== 0x04) throw invalid;
  const coordinate = (from: number) => Buffer.from(point.subarray(from, from + 32)).toString('base64url');
  try {
    // OpenSSL refuses a point that is not on the curve.
    return createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: coordinate(1), y: coordinate(33) }, format: 'jwk' });
  } catch {
    throw invalid;
  }
}

function rsaVerifier(keyval: unknown): (m: Uint8Array, s: Uint8Array) => boolean {
  const { key, info } = pemPublic(keyval, 'keys.rsaVerifier', 'rsa');
  // Go's rsa.VerifyPSS refuses exponents outside [2, 2^31-1] and moduli over 16384 bits; refusing
  // them here also keeps a hostile key from making verification slow.
  if (info.kind !== 'rsa' || info.exponent < 2n || info.exponent > 0x7fffffffn || info.modulusBits > 16384) return () => false;
  return (m, s) => verify('sha256', m, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, s);
}

const VERIFIERS = new Map<string, (keyval: unknown) => (m: Uint8Array, s: Uint8Array) => boolean>([
  ['ed25519', ed25519Verifier],
  ['ecdsa', ecdsaVerifier],
  ['ecdsa-sha2-nistp256', ecdsaVerifier],
  ['rsa', rsaVerifier],
]);

/** keys.GetVerifier for one entry of a root's `keys` map (already known to be an object). */
export function tufVerifier(key: JsonObject): TufVerifier {
  const keytype = member(key, 'keytype');
  const scheme = member(key, 'scheme');
  if (keytype !== undefined && typeof keytype !== 'string') throw typeError(keytype, 'data.KeyType', 'PublicKey.keys.keytype');
  if (scheme !== undefined && typeof scheme !== 'string') throw typeError(scheme, 'data.KeyScheme', 'PublicKey.keys.scheme');
  const algorithms = stringArray(member(key, 'keyid_hash_algorithms'), 'PublicKey.keys.keyid_hash_algorithms');
  const rawKeyval = rawMember(key, 'keyval');
  const keyval = rawKeyval.present ? rawKeyval.value : undefined;
  const make = VERIFIERS.get(keytype ?? '');
  if (make === undefined) throw new RekorError('invalid_entry', 'invalid key');
  const check = make(keyval);
  const shape: JsonObject = { keytype: keytype ?? '', scheme: scheme ?? '', keyval: keyval ?? null };
  if (algorithms.length > 0) shape['keyid_hash_algorithms'] = algorithms;
  const identity = canonicalJson(shape) ?? JSON.stringify(shape);
  return {
    identity,
    verify(message, signature) {
      try {
        return check(message, signature);
      } catch {
        return false;
      }
    },
  };
}
