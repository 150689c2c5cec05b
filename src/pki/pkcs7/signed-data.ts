/**
 * PKCS#7 / CMS SignedData as relic's lib/pkcs7 reads it through Go's encoding/asn1 (what Rekor's
 * pkcs7 format and jar kind use): definite, minimal lengths; optional fields skipped by tag;
 * extra trailing elements inside a SEQUENCE ignored; zero bytes after the outer structure
 * tolerated. Signer infos, certificates and algorithm parameters keep their original bytes,
 * because relic does, and `detached` is the structure Go's asn1.Marshal writes back after
 * relic's Detach(): Rekor stores exactly that as the canonical signature. All failures throw
 * RekorError('invalid_entry') with a short `asn1:`/`pkcs7:` text.
 */
import { RekorError } from '../../errors.js';
import { DerError, encodeTlv, isMinimalInteger, oidToString, readGoAsn1, type GoAsn1Element } from '../der.js';

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

const SEQUENCE = 16;
const SET = 17;
const INTEGER = 2;
const OCTET_STRING = 4;
const OID = 6;
const CONTEXT = 2;

function fail(message: string): never {
  throw new RekorError('invalid_entry', message);
}

interface Element extends GoAsn1Element {
  readonly start: number;
}

/** Sequential reader over one constructed element's contents, Go-style. */
class Fields {
  private pos: number;
  constructor(
    readonly buf: Uint8Array,
    start: number,
    private readonly limit: number,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.limit;
  }

  private peek(): Element | undefined {
    if (this.done) return undefined;
    return { ...readGoAsn1(this.buf, this.pos, this.limit), start: this.pos };
  }

  /** Any element (Go's RawValue). */
  any(what: string): Element {
    const el = this.peek();
    if (el === undefined) fail(`asn1: syntax error: sequence truncated (${what})`);
    this.pos = el.end;
    return el;
  }

  universal(tagNumber: number, constructed: boolean, what: string): Element {
    const el = this.any(what);
    if (el.tagClass !== 0 || el.tagNumber !== tagNumber || el.constructed !== constructed) {
      fail(`asn1: structure error: tags don't match (${what})`);
    }
    return el;
  }

  /** An optional `[n]` constructed element: consumed only when the next element carries that tag. */
  optionalContext(tagNumber: number): Element | undefined {
    const el = this.peek();
    if (el === undefined || el.tagClass !== CONTEXT || el.tagNumber !== tagNumber || !el.constructed) return undefined;
    this.pos = el.end;
    return el;
  }

  inside(el: Element): Fields {
    return new Fields(this.buf, el.contentStart, el.end);
  }

  bytes(el: Element): Uint8Array {
    return this.buf.subarray(el.start, el.end);
  }

  contents(el: Element): Uint8Array {
    return this.buf.subarray(el.contentStart, el.end);
  }
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

function parse(der: Uint8Array): SignedData {
  const top = new Fields(der, 0, der.length);
  const outerEl = top.universal(SEQUENCE, true, 'content info');
  // relic: anything after the structure other than zero padding is an error.
  if (der.subarray(outerEl.end).some((b) => b !== 0)) fail('pkcs7: trailing garbage after PKCS#7 structure');
  const outer = top.inside(outerEl);
  const contentType = readOid(outer, 'content type');
  const explicit = outer.optionalContext(0);
  if (explicit === undefined) fail('pkcs7: missing SignedData content');
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
  return { contentType: contentType.text, encapsulatedContentType: type, content, certificates, signerInfos, detached };
}

function guarded<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof RekorError) throw err;
    if (err instanceof DerError) fail('asn1: syntax error: malformed PKCS#7 structure');
    throw err;
  }
}

/** Parses DER (BER is refused, as Go does). Throws RekorError('invalid_entry'). */
export function parseSignedData(der: Uint8Array): SignedData {
  return guarded(() => parse(der));
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
