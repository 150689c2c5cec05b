/**
 * PKCS#7 / CMS SignedData as relic's lib/pkcs7 reads it through Go's encoding/asn1 (what Rekor's
 * pkcs7 format, jar and rfc3161 kinds use; the field reading is go-asn1.ts): definite, minimal
 * lengths; optional fields skipped by tag; extra trailing elements inside a SEQUENCE ignored;
 * zero bytes after the outer structure tolerated. Signer infos, certificates and algorithm
 * parameters keep their original bytes, because relic does, and `detached` is the structure Go's
 * asn1.Marshal writes back after relic's Detach(): Rekor stores exactly that as the canonical
 * signature. All failures throw RekorError('invalid_entry') with a short `asn1:`/`pkcs7:` text.
 */
import { RekorError } from '../../errors.js';
import { encodeTlv, isMinimalInteger, oidToString, readGoAsn1 } from '../der.js';
import { GoAsn1Fields as Fields, guardedAsn1, type Asn1Element as Element } from '../go-asn1.js';

export const OID_DATA = '1.2.840.113549.1.7.1';
export const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';

export interface AlgorithmIdentifier {
  readonly algorithm: string;
  /** The whole parameters element, if any (e.g. `05 00`). */
  readonly parameters: Uint8Array | undefined;
  /** SEQUENCE { OID, parameters } as Go re-encodes it (trailing elements dropped). */
  readonly encoded: Uint8Array;
}

export interface Attribute {
  readonly type: string;
  /** The whole `values` element (normally a SET). */
  readonly values: Uint8Array;
  /** Contents of `values`. */
  readonly valuesContent: Uint8Array;
}

export interface SignerInfo {
  /** The SignerInfo SEQUENCE exactly as submitted. */
  readonly raw: Uint8Array;
  /** The issuer Name element, tag and length included (Go's RawValue.FullBytes). */
  readonly issuer: Uint8Array;
  /** Contents of the serial INTEGER (minimal two's complement). */
  readonly serial: Uint8Array;
  readonly digestAlgorithm: AlgorithmIdentifier;
  /** Undefined when absent or empty, as relic treats both alike. */
  readonly authenticatedAttributes: readonly Attribute[] | undefined;
  /**
   * What the signature covers when attributes are present: their element with its
   * `[0] IMPLICIT` tag replaced by SET (RFC 2315 §9.3).
   */
  readonly authenticatedAttributesSet: Uint8Array | undefined;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signature: Uint8Array;
  readonly unauthenticatedAttributes: readonly Attribute[] | undefined;
}

export interface SignedData {
  /** The outer ContentInfo's type (relic does not insist on signedData). */
  readonly contentType: string;
  /** The encapsulated content's type (normally id-data). */
  readonly encapsulatedContentType: string;
  /** The encapsulated content, or undefined for a detached signature. */
  readonly content: Uint8Array | undefined;
  /** Each certificate element's DER, in the order given. */
  readonly certificates: readonly Uint8Array[];
  readonly signerInfos: readonly SignerInfo[];
  /** The detached SignedData as Go's asn1.Marshal writes it: Rekor's canonical signature DER. */
  readonly detached: Uint8Array;
}

export interface ContentInfo {
  readonly contentType: string;
  readonly signedData: SignedData | undefined;
}

const SEQUENCE = 16;
const SET = 17;
const INTEGER = 2;
const OCTET_STRING = 4;
const OID = 6;

function fail(message: string): never {
  throw new RekorError('invalid_entry', message);
}

function readOid(fields: Fields, what: string): { text: string; der: Uint8Array } {
  const el = fields.universal(OID, false, what);
  const content = fields.contents(el);
  if (content.length === 0) fail('asn1: syntax error: zero length OBJECT IDENTIFIER');
  return { text: oidToString(content), der: fields.bytes(el) };
}

function readInteger(fields: Fields, what: string): Uint8Array {
  const el = fields.universal(INTEGER, false, what);
  const content = fields.contents(el);
  if (content.length === 0) fail('asn1: syntax error: empty integer');
  if (!isMinimalInteger(content)) fail('asn1: structure error: integer not minimally-encoded');
  return content;
}

function readAlgorithm(fields: Fields, what: string): AlgorithmIdentifier {
  const seq = fields.universal(SEQUENCE, true, what);
  const inner = fields.inside(seq);
  const oid = readOid(inner, what);
  const params = inner.done ? undefined : inner.bytes(inner.any(what));
  const encoded = params === undefined ? encodeTlv(0x30, oid.der) : encodeTlv(0x30, oid.der, params);
  return { algorithm: oid.text, parameters: params, encoded };
}

function readAttributes(fields: Fields, el: Element): Attribute[] {
  const list = fields.inside(el);
  const out: Attribute[] = [];
  while (!list.done) {
    const attr = list.inside(list.universal(SEQUENCE, true, 'attribute'));
    const type = readOid(attr, 'attribute type').text;
    const values = attr.any('attribute values');
    out.push({ type, values: attr.bytes(values), valuesContent: attr.contents(values) });
  }
  return out;
}

function readSignerInfo(fields: Fields): SignerInfo {
  const el = fields.universal(SEQUENCE, true, 'signer info');
  const si = fields.inside(el);
  const version = readInteger(si, 'signer info version');
  if (version.length > 8) fail('asn1: structure error: integer too large');
  const ias = si.inside(si.universal(SEQUENCE, true, 'issuer and serial'));
  const issuer = ias.bytes(ias.any('issuer'));
  const serial = readInteger(ias, 'serial number');
  const digestAlgorithm = readAlgorithm(si, 'digest algorithm');
  const authEl = si.optionalContext(0);
  const authenticated = authEl === undefined ? [] : readAttributes(si, authEl);
  const signatureAlgorithm = readAlgorithm(si, 'signature algorithm');
  const signature = si.contents(si.universal(OCTET_STRING, false, 'encrypted digest'));
  const unauthEl = si.optionalContext(1);
  const unauthenticated = unauthEl === undefined ? [] : readAttributes(si, unauthEl);
  return {
    raw: fields.bytes(el),
    issuer,
    serial,
    digestAlgorithm,
    authenticatedAttributes: authenticated.length === 0 ? undefined : authenticated,
    authenticatedAttributesSet: authenticated.length === 0 || authEl === undefined ? undefined : encodeTlv(0x31, si.contents(authEl)),
    signatureAlgorithm,
    signature,
    unauthenticatedAttributes: unauthenticated.length === 0 ? undefined : unauthenticated,
  };
}

/** Go's SET OF encoder (since Go 1.15) sorts the encoded elements bytewise. */
function encodeSetOf(elements: readonly Uint8Array[]): Uint8Array {
  const sorted = [...elements].sort((a, b) => Buffer.compare(a, b));
  return encodeTlv(0x31, ...sorted);
}

/** ContentInfo.Bytes(): the encapsulated content, or undefined when omitted or empty. */
function encapsulated(fields: Fields, contentInfo: Element): { type: string; typeDer: Uint8Array; content: Uint8Array | undefined } {
  const ci = fields.inside(contentInfo);
  const type = readOid(ci, 'content type');
  if (ci.done) return { type: type.text, typeDer: type.der, content: undefined };
  const wrapper = ci.any('content');
  const inner = ci.inside(wrapper);
  if (inner.done) return { type: type.text, typeDer: type.der, content: undefined };
  return { type: type.text, typeDer: type.der, content: inner.contents(inner.any('content')) };
}

function parse(der: Uint8Array): ContentInfo {
  const top = new Fields(der, 0, der.length);
  const outerEl = top.universal(SEQUENCE, true, 'content info');
  // relic: anything after the structure other than zero padding is an error.
  if (der.subarray(outerEl.end).some((b) => b !== 0)) fail('pkcs7: trailing garbage after PKCS#7 structure');
  const outer = top.inside(outerEl);
  const contentType = readOid(outer, 'content type');
  const explicit = outer.optionalContext(0);
  if (explicit === undefined) return { contentType: contentType.text, signedData: undefined };
  // Go's encoding/asn1 refuses an explicit tag with nothing inside.
  if (explicit.contentStart === explicit.end) fail('asn1: structure error: explicit tag has no child');
  const wrapped = outer.inside(explicit);
  const sdEl = wrapped.universal(SEQUENCE, true, 'signed data');
  const sd = wrapped.inside(sdEl);
  const version = readInteger(sd, 'version');
  if (version.length > 8) fail('asn1: structure error: integer too large');
  const digestSet = sd.inside(sd.universal(SET, true, 'digest algorithms'));
  const digestAlgorithms: Uint8Array[] = [];
  while (!digestSet.done) digestAlgorithms.push(readAlgorithm(digestSet, 'digest algorithm').encoded);
  const contentInfo = sd.universal(SEQUENCE, true, 'encapsulated content info');
  const { type, typeDer, content } = encapsulated(sd, contentInfo);
  const certsEl = sd.optionalContext(0);
  const certificates: Uint8Array[] = [];
  if (certsEl !== undefined) {
    const certs = sd.inside(certsEl);
    while (!certs.done) certificates.push(certs.bytes(certs.any('certificate')));
  }
  const crlsEl = sd.optionalContext(1);
  if (crlsEl !== undefined) {
    const crls = sd.inside(crlsEl);
    while (!crls.done) crls.universal(SEQUENCE, true, 'certificate list');
  }
  const signerSet = sd.inside(sd.universal(SET, true, 'signer infos'));
  const signerInfos: SignerInfo[] = [];
  while (!signerSet.done) signerInfos.push(readSignerInfo(signerSet));

  const parts: Uint8Array[] = [encodeTlv(0x02, version), encodeSetOf(digestAlgorithms), encodeTlv(0x30, typeDer)];
  // Present-but-empty lists survive Go's round trip (a non-nil empty slice is still written).
  if (certsEl !== undefined) parts.push(encodeTlv(0xa0, ...certificates));
  if (crlsEl !== undefined) parts.push(sd.bytes(crlsEl));
  parts.push(encodeSetOf(signerInfos.map((s) => s.raw)));
  const detached = encodeTlv(0x30, contentType.der, encodeTlv(0xa0, encodeTlv(0x30, ...parts)));
  const signedData = { contentType: contentType.text, encapsulatedContentType: type, content, certificates, signerInfos, detached };
  return { contentType: contentType.text, signedData };
}

function guarded<T>(run: () => T): T {
  return guardedAsn1('PKCS#7 structure', run);
}

/**
 * relic's ContentInfoSignedData read from DER (BER is refused, as Go does), whatever its content
 * type says (callers word that check themselves); `signedData` is undefined when the explicit
 * `[0]` is absent. Throws RekorError('invalid_entry').
 */
export function parseContentInfo(der: Uint8Array): ContentInfo {
  return guarded(() => parse(der));
}

/** parseContentInfo, with the SignedData required. */
export function parseSignedData(der: Uint8Array): SignedData {
  const { signedData } = parseContentInfo(der);
  if (signedData === undefined) fail('pkcs7: missing SignedData content');
  return signedData;
}

/**
 * relic's AttributeList.GetOne: the attribute's single value, parsed by `read`; undefined when
 * the attribute is absent. A second value is an error, as in relic.
 */
export function attributeValue<T>(attributes: readonly Attribute[] | undefined, type: string, read: (der: Uint8Array) => T): T | undefined {
  const attr = attributes?.find((a) => a.type === type);
  if (attr === undefined) return undefined;
  return guarded(() => {
    const values = attr.valuesContent;
    const first = readGoAsn1(values, 0, values.length);
    if (first.end !== values.length) fail(`attribute ${type}: expected one, found multiple`);
    return read(values.subarray(0, first.end));
  });
}

/** One SignerInfo element (as a counter-signature attribute holds). */
export function parseSignerInfo(der: Uint8Array): SignerInfo {
  return guarded(() => readSignerInfo(new Fields(der, 0, der.length)));
}
