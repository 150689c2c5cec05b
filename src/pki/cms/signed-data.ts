/**
 * CMS SignedData (RFC 5652) read the way relic's pkcs7 structs are filled by Go's encoding/asn1:
 * members in order; an OPTIONAL or DEFAULT member whose tag does not match is skipped, a
 * required one is an error; members after the last known one are ignored (Go tolerates them);
 * `ANY` members keep their raw element. Signer identifiers must be IssuerAndSerialNumber, as in
 * relic. Nothing is verified here (verify.ts does that). Throws CmsError.
 */
import { isContext, isUniversal, readBigInt, readInt, readOid, UNIVERSAL, parseDer, type Asn1Node } from './asn1.js';
import { CmsError } from './errors.js';

export const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
export const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';

export interface AlgorithmIdentifier {
  readonly oid: string;
  /** The parameters element, if any (e.g. NULL, or RSASSA-PSS-params). */
  readonly parameters: Asn1Node | undefined;
}

export interface Attribute {
  readonly oid: string;
  /** The values element as found (normally a SET). */
  readonly values: Asn1Node;
}

export interface SignerInfo {
  /** The whole SignerInfo SEQUENCE: relic re-reads its fourth member as the signed attributes. */
  readonly node: Asn1Node;
  /** The issuer Name element, compared byte for byte with certificates' issuers. */
  readonly issuer: Asn1Node;
  readonly serialNumber: bigint;
  readonly digestAlgorithm: AlgorithmIdentifier;
  /** Signed (authenticated) attributes; empty when absent. */
  readonly signedAttributes: readonly Attribute[];
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signature: Uint8Array;
}

export interface SignedData {
  readonly digestAlgorithms: readonly AlgorithmIdentifier[];
  readonly encapsulatedContentType: string;
  /**
   * The encapsulated content's octets (for TSTInfo: its DER), or undefined when the signature is
   * detached. Taken as relic does: the contents of the first element inside `[0]`.
   */
  readonly content: Uint8Array | undefined;
  /** Embedded certificates, raw, in order (unparsed: a bad one matters only if it is needed). */
  readonly certificates: readonly Uint8Array[];
  readonly signerInfos: readonly SignerInfo[];
}

export interface ContentInfoSignedData {
  readonly contentType: string;
  /** Absent when the `[0]` content is missing. */
  readonly signedData: SignedData | undefined;
}

/** Go's reading of one SEQUENCE/SET's members into a struct. */
class Members {
  private index = 0;
  constructor(
    private readonly node: Asn1Node,
    private readonly what: string,
  ) {}

  private peek(): Asn1Node | undefined {
    return this.node.children[this.index];
  }

  /** The next member, which must satisfy `matches`. */
  required(matches: (n: Asn1Node) => boolean, field: string): Asn1Node {
    const next = this.peek();
    if (next === undefined) throw new CmsError(`asn1: syntax error: sequence truncated (${this.what}.${field})`);
    if (!matches(next)) throw new CmsError(`asn1: structure error: tags don't match (${this.what}.${field})`);
    this.index++;
    return next;
  }

  /** The next member if it satisfies `matches`; otherwise nothing is consumed. */
  optional(matches: (n: Asn1Node) => boolean): Asn1Node | undefined {
    const next = this.peek();
    if (next === undefined || !matches(next)) return undefined;
    this.index++;
    return next;
  }

  /** Any next element (Go's asn1.RawValue member). */
  any(field: string): Asn1Node {
    return this.required(() => true, field);
  }

  anyOptional(): Asn1Node | undefined {
    return this.optional(() => true);
  }
}

const sequence = (n: Asn1Node): boolean => isUniversal(n, UNIVERSAL.SEQUENCE, true);
const set = (n: Asn1Node): boolean => isUniversal(n, UNIVERSAL.SET, true);
const integer = (n: Asn1Node): boolean => isUniversal(n, UNIVERSAL.INTEGER, false);
const oid = (n: Asn1Node): boolean => isUniversal(n, UNIVERSAL.OID, false);
const octets = (n: Asn1Node): boolean => isUniversal(n, UNIVERSAL.OCTET_STRING, false);
const context = (tag: number) => (n: Asn1Node): boolean => isContext(n, tag, true);

export function readAlgorithmIdentifier(node: Asn1Node, what: string): AlgorithmIdentifier {
  if (!sequence(node)) throw new CmsError(`asn1: structure error: tags don't match (${what})`);
  const m = new Members(node, what);
  return { oid: readOid(m.required(oid, 'algorithm'), what), parameters: m.anyOptional() };
}

function readAttributes(node: Asn1Node, what: string): Attribute[] {
  return node.children.map((child) => {
    if (!sequence(child)) throw new CmsError(`asn1: structure error: tags don't match (${what})`);
    const m = new Members(child, what);
    return { oid: readOid(m.required(oid, 'type'), what), values: m.any('values') };
  });
}

function readSignerInfo(node: Asn1Node): SignerInfo {
  if (!sequence(node)) throw new CmsError("asn1: structure error: tags don't match (SignerInfo)");
  const m = new Members(node, 'SignerInfo');
  const version = m.optional(integer);
  if (version !== undefined) readInt(version, 'SignerInfo.version');
  const sid = m.required(sequence, 'issuerAndSerialNumber');
  const sidMembers = new Members(sid, 'IssuerAndSerialNumber');
  const issuer = sidMembers.any('issuer');
  const serialNumber = readBigInt(sidMembers.required(integer, 'serialNumber'), 'IssuerAndSerialNumber.serialNumber');
  const digestAlgorithm = readAlgorithmIdentifier(m.required(sequence, 'digestAlgorithm'), 'SignerInfo.digestAlgorithm');
  const signed = m.optional(context(0));
  const signatureAlgorithm = readAlgorithmIdentifier(m.required(sequence, 'signatureAlgorithm'), 'SignerInfo.signatureAlgorithm');
  const signature = m.required(octets, 'signature').content;
  const unsigned = m.optional(context(1));
  if (unsigned !== undefined) readAttributes(unsigned, 'SignerInfo.unsignedAttrs');
  return {
    node,
    issuer,
    serialNumber,
    digestAlgorithm,
    signedAttributes: signed === undefined ? [] : readAttributes(signed, 'SignerInfo.signedAttrs'),
    signatureAlgorithm,
    signature,
  };
}

/** relic's ContentInfo.Bytes(): the contents of the first element inside the explicit `[0]`. */
function encapsulatedContent(explicit: Asn1Node | undefined): Uint8Array | undefined {
  if (explicit === undefined) return undefined;
  if (explicit.constructed) return explicit.children[0]?.content;
  // A primitive wrapper is not CMS, but Go reads its octets as one more element all the same.
  if (explicit.content.length === 0) return undefined;
  try {
    return parseDer(explicit.content).node.content;
  } catch {
    return undefined;
  }
}

export function readSignedData(node: Asn1Node): SignedData {
  if (!sequence(node)) throw new CmsError("asn1: structure error: tags don't match (SignedData)");
  const m = new Members(node, 'SignedData');
  const version = m.optional(integer);
  if (version !== undefined) readInt(version, 'SignedData.version');
  const digestAlgorithms = m
    .required(set, 'digestAlgorithms')
    .children.map((child) => readAlgorithmIdentifier(child, 'SignedData.digestAlgorithms'));
  const encap = m.required(sequence, 'encapContentInfo');
  const encapMembers = new Members(encap, 'EncapsulatedContentInfo');
  const encapsulatedContentType = readOid(encapMembers.required(oid, 'eContentType'), 'EncapsulatedContentInfo.eContentType');
  const content = encapsulatedContent(encapMembers.anyOptional());
  const certificates = m.optional(context(0))?.children.map((c) => c.raw) ?? [];
  const crls = m.optional(context(1));
  // relic reads CRLs as pkix.CertificateList; anything but SEQUENCEs fails there.
  if (crls !== undefined && !crls.children.every(sequence)) throw new CmsError("asn1: structure error: tags don't match (SignedData.crls)");
  const signerInfos = m.required(set, 'signerInfos').children.map(readSignerInfo);
  return { digestAlgorithms, encapsulatedContentType, content, certificates, signerInfos };
}

/**
 * relic's ContentInfoSignedData: SEQUENCE { contentType, [0] EXPLICIT SignedData OPTIONAL }.
 * The content type is returned, not checked: callers word that error themselves.
 */
export function readContentInfoSignedData(node: Asn1Node): ContentInfoSignedData {
  if (!sequence(node)) throw new CmsError("asn1: structure error: tags don't match (ContentInfo)");
  const m = new Members(node, 'ContentInfo');
  const contentType = readOid(m.required(oid, 'contentType'), 'ContentInfo.contentType');
  const explicit = m.optional(context(0));
  if (explicit === undefined) return { contentType, signedData: undefined };
  const inner = explicit.children[0];
  // Go reads an empty explicit `[0]` as the zero SignedData, which then has no content.
  return { contentType, signedData: inner === undefined ? undefined : readSignedData(inner) };
}

/** Decodes a DER ContentInfo holding SignedData; bytes after it are refused. */
export function parseContentInfoSignedData(der: Uint8Array): ContentInfoSignedData {
  const { node, trailing } = parseDer(der);
  if (trailing !== 0) throw new CmsError('pkcs7: trailing garbage after PKCS#7 structure');
  return readContentInfoSignedData(node);
}
