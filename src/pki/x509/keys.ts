/**
 * SubjectPublicKeyInfo parsing with the acceptance rules and error texts of Go's
 * x509.ParsePKIXPublicKey (what Rekor uses), and re-encoding as x509.MarshalPKIXPublicKey
 * writes it, because that re-encoding is the canonical key Rekor stores and hashes for the index.
 * Parse errors throw RekorError('invalid_entry', <Go's text>). DSA and X25519 keys parse (as Go
 * does) but are 'unsupported' for signatures.
 */
import { RekorError } from '../../errors.js';
import { DerError, DerReader, Tag, encodeTlv, encodeUnsignedInteger, oidToString, unsignedInteger } from '../der.js';
import { curveByOid, isOnCurve, type EcdsaCurve } from './curves.js';

export type PublicKeyInfo =
  | { readonly kind: 'rsa'; readonly spki: Uint8Array; readonly modulus: bigint; readonly exponent: bigint; readonly modulusBits: number }
  | { readonly kind: 'ecdsa'; readonly spki: Uint8Array; readonly curve: EcdsaCurve; readonly point: Uint8Array }
  | { readonly kind: 'ed25519'; readonly spki: Uint8Array; readonly key: Uint8Array }
  | { readonly kind: 'unsupported'; readonly spki: Uint8Array; readonly algorithm: 'dsa' | 'x25519' | 'unknown' };

const OID_RSA = '1.2.840.113549.1.1.1';
const OID_EC = '1.2.840.10045.2.1';
const OID_ED25519 = '1.3.101.112';
const OID_X25519 = '1.3.101.110';
const OID_DSA = '1.2.840.10040.4.1';
const NULL_PARAMS = Uint8Array.of(0x05, 0x00);

function fail(message: string): never {
  throw new RekorError('invalid_entry', message);
}

const oidCache = new Map<string, Uint8Array>();

/** DER OBJECT IDENTIFIER for a dotted OID (the few used here are cached). */
function oidTlv(oid: string): Uint8Array {
  let der = oidCache.get(oid);
  if (der === undefined) {
    der = encodeOid(oid);
    oidCache.set(oid, der);
  }
  return der;
}

function encodeOid(oid: string): Uint8Array {
  const arcs = oid.split('.').map(BigInt);
  const [a = 0n, b = 0n, ...others] = arcs;
  const bytes: number[] = [];
  for (const arc of [a * 40n + b, ...others]) {
    const chunk: number[] = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) chunk.unshift(Number(v & 0x7fn) | 0x80);
    bytes.push(...chunk);
  }
  return encodeTlv(Tag.OID, Uint8Array.from(bytes));
}

function spkiDer(algorithm: Uint8Array, key: Uint8Array): Uint8Array {
  return encodeTlv(Tag.SEQUENCE, encodeTlv(Tag.SEQUENCE, algorithm), encodeTlv(Tag.BIT_STRING, Uint8Array.of(0), key));
}

interface RawSpki {
  readonly algorithm: string;
  /** The full parameters element, if present. */
  readonly params: Uint8Array | undefined;
  readonly key: Uint8Array;
}

/** The outer structure, read as Go's encoding/asn1 would: extra trailing fields tolerated. */
function readSpki(der: Uint8Array): RawSpki {
  const top = new DerReader(der);
  const spki = top.read(Tag.SEQUENCE);
  if (!top.done) fail('x509: trailing data after ASN.1 of public-key');
  const fields = top.enter(spki);
  const algorithmId = fields.read(Tag.SEQUENCE);
  const algorithmFields = fields.enter(algorithmId);
  const algorithm = oidToString(algorithmFields.contents(algorithmFields.read(Tag.OID)));
  const params = algorithmFields.done ? undefined : algorithmFields.raw(algorithmFields.read());
  const bits = fields.contents(fields.read(Tag.BIT_STRING));
  // Keys are whole bytes; a BIT STRING with unused bits is not a key Go would accept as such.
  if (bits.length === 0 || bits[0] !== 0) throw new DerError();
  return { algorithm, params, key: bits.subarray(1) };
}

function parseRsa(raw: RawSpki): PublicKeyInfo {
  if (raw.params === undefined || !Buffer.from(raw.params).equals(NULL_PARAMS)) fail('x509: RSA key missing NULL parameters');
  let modulus: bigint;
  let exponent: bigint;
  try {
    const outer = new DerReader(raw.key);
    const seq = outer.read(Tag.SEQUENCE);
    const inner = outer.enter(seq);
    const n = inner.contents(inner.read(Tag.INTEGER));
    const e = inner.contents(inner.read(Tag.INTEGER));
    if (!outer.done || !inner.done) throw new DerError();
    if (((n[0] ?? 0) & 0x80) !== 0) fail('x509: RSA modulus is not a positive number');
    if (((e[0] ?? 0) & 0x80) !== 0) fail('x509: RSA public exponent is not a positive number');
    modulus = unsignedInteger(n);
    exponent = unsignedInteger(e);
  } catch (err) {
    if (err instanceof RekorError) throw err;
    fail('x509: invalid RSA public key');
  }
  if (modulus === 0n) fail('x509: RSA modulus is not a positive number');
  if (exponent === 0n) fail('x509: RSA public exponent is not a positive number');
  const body = encodeTlv(Tag.SEQUENCE, encodeUnsignedInteger(modulus), encodeUnsignedInteger(exponent));
  const spki = spkiDer(Buffer.concat([oidTlv(OID_RSA), NULL_PARAMS]), body);
  return { kind: 'rsa', spki, modulus, exponent, modulusBits: modulus.toString(2).length };
}

function parseEc(raw: RawSpki): PublicKeyInfo {
  let curveOid: string;
  try {
    if (raw.params === undefined) throw new DerError();
    const reader = new DerReader(raw.params);
    curveOid = oidToString(reader.contents(reader.read(Tag.OID)));
  } catch {
    fail('x509: failed to parse ECDSA parameters as named curve');
  }
  const curve = curveByOid(curveOid);
  if (curve === undefined) fail('x509: unsupported elliptic curve');
  const point = raw.key;
  if (point.length !== 1 + 2 * curve.byteLength || point[0] !== 0x04 || !isOnCurve(curve, point)) {
    fail('x509: failed to unmarshal elliptic curve point');
  }
  const spki = spkiDer(Buffer.concat([oidTlv(OID_EC), oidTlv(curve.oid)]), point);
  return { kind: 'ecdsa', spki, curve, point: Uint8Array.from(point) };
}

function parseEdwards(raw: RawSpki, name: 'Ed25519' | 'X25519'): PublicKeyInfo {
  if (raw.params !== undefined) fail(`x509: ${name} key encoded with illegal parameters`);
  if (raw.key.length !== 32) fail(`x509: wrong ${name} public key size`);
  const key = Uint8Array.from(raw.key);
  const spki = spkiDer(oidTlv(name === 'Ed25519' ? OID_ED25519 : OID_X25519), key);
  return name === 'Ed25519' ? { kind: 'ed25519', spki, key } : { kind: 'unsupported', spki, algorithm: 'x25519' };
}

function parseDsa(raw: RawSpki, der: Uint8Array): PublicKeyInfo {
  try {
    const params = new DerReader(raw.params ?? new Uint8Array());
    const fields = params.enter(params.read(Tag.SEQUENCE));
    for (let i = 0; i < 3; i++) if (unsignedInteger(fields.contents(fields.read(Tag.INTEGER))) === 0n) throw new DerError();
    const key = new DerReader(raw.key);
    if (unsignedInteger(key.contents(key.read(Tag.INTEGER))) === 0n) throw new DerError();
  } catch {
    fail('x509: invalid DSA public key');
  }
  // Go cannot re-marshal DSA keys either; verification refuses them before any re-encoding.
  return { kind: 'unsupported', spki: Uint8Array.from(der), algorithm: 'dsa' };
}

function parseByAlgorithm(raw: RawSpki, der: Uint8Array): PublicKeyInfo | undefined {
  switch (raw.algorithm) {
    case OID_RSA:
      return parseRsa(raw);
    case OID_EC:
      return parseEc(raw);
    case OID_ED25519:
      return parseEdwards(raw, 'Ed25519');
    case OID_X25519:
      return parseEdwards(raw, 'X25519');
    case OID_DSA:
      return parseDsa(raw, der);
    default:
      return undefined;
  }
}

/** Whether `der` is a bare PKCS#1 RSAPublicKey (SEQUENCE of two INTEGERs), a common mistake. */
function isPkcs1RsaKey(der: Uint8Array): boolean {
  try {
    const top = new DerReader(der);
    const fields = top.enter(top.read(Tag.SEQUENCE));
    fields.read(Tag.INTEGER);
    fields.read(Tag.INTEGER);
    return fields.done;
  } catch {
    return false;
  }
}

function readOrFail(der: Uint8Array): RawSpki {
  try {
    return readSpki(der);
  } catch (err) {
    if (err instanceof RekorError) throw err;
    if (isPkcs1RsaKey(der)) fail('x509: failed to parse public key (use ParsePKCS1PublicKey instead for this key format)');
    fail('x509: malformed public key');
  }
}

/** Parses a DER SubjectPublicKeyInfo from a `PUBLIC KEY` PEM block. */
export function parsePublicKeyInfo(der: Uint8Array): PublicKeyInfo {
  const raw = readOrFail(der);
  const info = parseByAlgorithm(raw, der);
  if (info === undefined) fail('x509: unknown public key algorithm');
  return info;
}

/**
 * Parses the key inside a certificate. As in Go's certificate parser, an unknown algorithm is
 * not an error there (the certificate simply has no usable key).
 */
export function parseCertificateKey(der: Uint8Array): PublicKeyInfo {
  const raw = readOrFail(der);
  return parseByAlgorithm(raw, der) ?? { kind: 'unsupported', spki: Uint8Array.from(der), algorithm: 'unknown' };
}
