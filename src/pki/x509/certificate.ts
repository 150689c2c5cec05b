/**
 * X.509 certificates as Rekor's x509 verifier sees them: the raw DER is the canonical value, the
 * leaf's public key verifies, its SANs become index keys, and the fields Go's chain validation
 * needs (names, validity, CA constraints, key usage, critical extensions) are read from the DER.
 * The walk is strict DER (as Go's parser); node:crypto's X509Certificate, which costs ~0.2 ms to
 * build, is made only when a chain's signatures are checked. Failures throw
 * RekorError('invalid_entry') with Go-style `x509: …` text.
 */
import { X509Certificate } from 'node:crypto';
import { RekorError } from '../../errors.js';
import { DerError, DerReader, Tag, isMinimalInteger, oidToString, unsignedInteger, type Tlv } from '../der.js';
import { parseCertificateKey, type PublicKeyInfo } from './keys.js';
import { parseSubjectAltNames, sigstoreOtherName, type SubjectAltNames } from './san.js';

export interface BasicConstraints {
  readonly ca: boolean;
  /** -1 when no pathLenConstraint is present. */
  readonly maxPathLen: number;
}

export interface Certificate {
  /** The DER exactly as submitted: Rekor stores certificates byte for byte. */
  readonly der: Uint8Array;
  readonly version: number;
  readonly rawIssuer: Uint8Array;
  readonly rawSubject: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** OID of the issuer's signature algorithm. */
  readonly signatureAlgorithm: string;
  readonly publicKey: PublicKeyInfo;
  readonly basicConstraints: BasicConstraints | undefined;
  /** Go's KeyUsage bit set (bit i = KeyUsage bit i of RFC 5280); 0 when the extension is absent. */
  readonly keyUsage: number;
  readonly subjectAltNames: SubjectAltNames;
  readonly otherName: string | undefined;
  readonly hasUnhandledCriticalExtension: boolean;
}

const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_KEY_USAGE = '2.5.29.15';
const OID_SAN = '2.5.29.17';
/** Extensions Go's parser understands; an unknown critical one blocks chain validation. */
const HANDLED = new Set([
  OID_BASIC_CONSTRAINTS, OID_KEY_USAGE, OID_SAN, '2.5.29.14', '2.5.29.35', '2.5.29.37', '2.5.29.30', '2.5.29.31',
  '2.5.29.32', '2.5.29.33', '2.5.29.36', '2.5.29.54', '1.3.6.1.5.5.7.1.1',
]);

function fail(message = 'x509: malformed certificate'): never {
  throw new RekorError('invalid_entry', message);
}

function parseTime(reader: DerReader, tlv: Tlv): Date {
  const text = Buffer.from(reader.contents(tlv)).toString('latin1');
  const match =
    tlv.tag === Tag.UTC_TIME ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : tlv.tag === Tag.GENERALIZED_TIME ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : null;
  if (match === null) fail('x509: malformed validity');
  const [y, mo, d, h, mi, s] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const year = tlv.tag === Tag.UTC_TIME ? (y < 50 ? 2000 + y : 1900 + y) : y;
  const date = new Date(Date.UTC(year, mo - 1, d, h, mi, s));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) fail('x509: malformed validity');
  return date;
}

function parseBasicConstraints(value: Uint8Array): BasicConstraints {
  try {
    const outer = new DerReader(value);
    const fields = outer.enter(outer.read(Tag.SEQUENCE));
    const caTlv = fields.readOptional(Tag.BOOLEAN);
    const ca = caTlv !== undefined && fields.contents(caTlv)[0] === 0xff;
    const lenTlv = fields.readOptional(Tag.INTEGER);
    const maxPathLen = lenTlv === undefined ? -1 : Number(unsignedInteger(fields.contents(lenTlv)));
    return { ca, maxPathLen };
  } catch {
    fail('x509: invalid basic constraints');
  }
}

function parseKeyUsage(value: Uint8Array): number {
  try {
    const reader = new DerReader(value);
    const bits = reader.contents(reader.read(Tag.BIT_STRING));
    if (bits.length === 0) throw new DerError();
    let usage = 0;
    for (let i = 0; i < 9; i++) {
      const byte = bits[1 + (i >> 3)] ?? 0;
      if (byte & (0x80 >> (i & 7))) usage |= 1 << i;
    }
    return usage;
  } catch {
    fail('x509: invalid key usage');
  }
}

interface Extensions {
  basicConstraints: BasicConstraints | undefined;
  keyUsage: number;
  san: SubjectAltNames | undefined;
  sanValues: Uint8Array[];
  unhandledCritical: boolean;
}

function parseExtensions(reader: DerReader, tlv: Tlv): Extensions {
  const out: Extensions = { basicConstraints: undefined, keyUsage: 0, san: undefined, sanValues: [], unhandledCritical: false };
  const seen = new Set<string>();
  const list = reader.enter(reader.enter(tlv).read(Tag.SEQUENCE));
  while (!list.done) {
    const ext = list.enter(list.read(Tag.SEQUENCE));
    const oid = oidToString(ext.contents(ext.read(Tag.OID)));
    const criticalTlv = ext.readOptional(Tag.BOOLEAN);
    const critical = criticalTlv !== undefined && ext.contents(criticalTlv)[0] === 0xff;
    const value = ext.contents(ext.read(Tag.OCTET_STRING));
    if (seen.has(oid)) fail('x509: certificate contains duplicate extensions');
    seen.add(oid);
    if (oid === OID_BASIC_CONSTRAINTS) out.basicConstraints = parseBasicConstraints(value);
    else if (oid === OID_KEY_USAGE) out.keyUsage = parseKeyUsage(value);
    else if (oid === OID_SAN) {
      const names = parseSubjectAltNames(value);
      out.san = names;
      out.sanValues.push(value);
      // Go counts a critical SAN holding none of the names it knows as unhandled.
      const known = names.dnsNames.length + names.emailAddresses.length + names.ipAddresses.length + names.uris.length;
      if (critical && known === 0) out.unhandledCritical = true;
    } else if (critical && !HANDLED.has(oid)) out.unhandledCritical = true;
  }
  return out;
}

function readVersion(tbs: DerReader): number {
  const explicit = tbs.readOptional(0xa0);
  if (explicit === undefined) return 1;
  const inner = tbs.enter(explicit);
  const content = inner.contents(inner.read(Tag.INTEGER));
  if (!isMinimalInteger(content) || (content[0] as number) & 0x80) fail('x509: malformed version');
  const version = content.length === 1 ? (content[0] as number) + 1 : 99;
  if (version > 3) fail('x509: invalid version');
  return version;
}

function noSans(): SubjectAltNames {
  return { dnsNames: [], emailAddresses: [], ipAddresses: [], uris: [] };
}

function parseStructure(der: Uint8Array): Certificate {
  const top = new DerReader(der);
  const certTlv = top.read(Tag.SEQUENCE);
  if (!top.done) fail('x509: trailing data');
  const cert = top.enter(certTlv);
  const tbsTlv = cert.read(Tag.SEQUENCE);
  const outerAlgorithm = cert.raw(cert.read(Tag.SEQUENCE));
  cert.read(Tag.BIT_STRING);
  const tbs = cert.enter(tbsTlv);
  const version = readVersion(tbs);
  const serial = tbs.contents(tbs.read(Tag.INTEGER));
  if (!isMinimalInteger(serial)) fail('x509: malformed serial number');
  if ((serial[0] as number) & 0x80) fail('x509: negative serial number');
  const innerAlgorithmTlv = tbs.read(Tag.SEQUENCE);
  if (!Buffer.from(tbs.raw(innerAlgorithmTlv)).equals(outerAlgorithm)) fail("x509: inner and outer signature algorithm identifiers don't match");
  const algorithmFields = tbs.enter(innerAlgorithmTlv);
  const signatureAlgorithm = oidToString(algorithmFields.contents(algorithmFields.read(Tag.OID)));
  const rawIssuer = tbs.raw(tbs.read(Tag.SEQUENCE));
  const validity = tbs.enter(tbs.read(Tag.SEQUENCE));
  const notBefore = parseTime(validity, validity.read());
  const notAfter = parseTime(validity, validity.read());
  const rawSubject = tbs.raw(tbs.read(Tag.SEQUENCE));
  const publicKey = parseCertificateKey(Uint8Array.from(tbs.raw(tbs.read(Tag.SEQUENCE))));
  if (version > 1) {
    tbs.readOptional(0x81);
    tbs.readOptional(0x82);
  }
  const extTlv = version === 3 ? tbs.readOptional(0xa3) : undefined;
  const ext = extTlv === undefined ? undefined : parseExtensions(tbs, extTlv);
  return {
    der,
    version,
    rawIssuer: Uint8Array.from(rawIssuer),
    rawSubject: Uint8Array.from(rawSubject),
    notBefore,
    notAfter,
    signatureAlgorithm,
    publicKey,
    basicConstraints: ext?.basicConstraints,
    keyUsage: ext?.keyUsage ?? 0,
    subjectAltNames: ext?.san ?? noSans(),
    otherName: sigstoreOtherName(ext?.sanValues ?? []),
    hasUnhandledCriticalExtension: ext?.unhandledCritical ?? false,
  };
}

/** Parses one DER certificate (the bytes of a `CERTIFICATE` PEM block). */
export function parseCertificate(input: Uint8Array): Certificate {
  try {
    return parseStructure(Uint8Array.from(input));
  } catch (err) {
    if (err instanceof RekorError) throw err;
    fail();
  }
}

const nodeCertificates = new WeakMap<Certificate, X509Certificate | null>();

/** node:crypto's view of the certificate (built once), or undefined if OpenSSL refuses it. */
export function nodeCertificate(cert: Certificate): X509Certificate | undefined {
  let x509 = nodeCertificates.get(cert);
  if (x509 === undefined) {
    try {
      x509 = new X509Certificate(cert.der);
    } catch {
      x509 = null;
    }
    nodeCertificates.set(cert, x509);
  }
  return x509 ?? undefined;
}

/** sigstore's GetSubjectAlternateNames order: DNS names, emails, IPs, URIs, then the OtherName. */
export function certificateSubjects(cert: Certificate): string[] {
  const san = cert.subjectAltNames;
  const subjects = [...san.dnsNames, ...san.emailAddresses, ...san.ipAddresses, ...san.uris];
  if (cert.otherName !== undefined && cert.otherName.length > 0) subjects.push(cert.otherName);
  return subjects;
}
