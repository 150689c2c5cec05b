/**
 * The element tree CMS code walks: asn1js decodes the bytes, and this file turns its blocks into
 * plain nodes (class, tag, raw bytes, contents, children) while holding them to the DER length
 * rules Go's encoding/asn1 enforces on what Rekor reads (definite, minimal lengths), because
 * Rekor rejects BER that asn1js would accept. Field-by-field reading, with Go's rules for
 * OPTIONAL and DEFAULT members and trailing members, is the callers' (see signed-data.ts).
 * Every failure is a CmsError; asn1js never throws through here.
 */
import * as asn1js from 'asn1js';
import { isMinimalInteger, oidToString } from '../der.js';
import { CmsError } from './errors.js';

export type TagClass = 'universal' | 'application' | 'context' | 'private';

export interface Asn1Node {
  readonly tagClass: TagClass;
  readonly tag: number;
  readonly constructed: boolean;
  /** The whole element: identifier, length and contents. */
  readonly raw: Uint8Array;
  /** The contents octets (for a constructed element, its children's encodings). */
  readonly content: Uint8Array;
  /** Child elements of a constructed element; empty for a primitive one. */
  readonly children: readonly Asn1Node[];
}

export const UNIVERSAL = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  SEQUENCE: 16,
  SET: 17,
} as const;

const CLASSES: readonly TagClass[] = ['universal', 'application', 'context', 'private'];

/** Nesting deeper than this is not a CMS structure; it also bounds the recursion below. */
const MAX_DEPTH = 64;

function minimalLengthOctets(length: number): number {
  let n = 0;
  for (let v = length; v > 0; v = Math.floor(v / 256)) n++;
  return n;
}

function toNode(block: asn1js.AsnType, depth: number): Asn1Node {
  if (depth > MAX_DEPTH) throw new CmsError('asn1: structure error: nesting too deep');
  const { idBlock, lenBlock } = block;
  if (lenBlock.isIndefiniteForm) throw new CmsError('asn1: syntax error: indefinite length found (not DER)');
  // Go refuses a long-form length that a shorter form could carry (including leading zero octets).
  if (lenBlock.longFormUsed && (lenBlock.length < 0x80 || lenBlock.blockLength - 1 !== minimalLengthOctets(lenBlock.length))) {
    throw new CmsError('asn1: structure error: non-minimal length');
  }
  const raw = block.valueBeforeDecodeView;
  const content = raw.subarray(idBlock.blockLength + lenBlock.blockLength);
  const tagClass = CLASSES[idBlock.tagClass - 1];
  if (tagClass === undefined || content.length !== lenBlock.length) throw new CmsError('asn1: syntax error: malformed element');
  const children: Asn1Node[] = [];
  if (idBlock.isConstructed) {
    const value = (block.valueBlock as { value?: unknown }).value;
    if (Array.isArray(value)) for (const child of value as asn1js.AsnType[]) children.push(toNode(child, depth + 1));
  }
  return { tagClass, tag: idBlock.tagNumber, constructed: idBlock.isConstructed, raw, content, children };
}

/**
 * Decodes the first element of `der`. Bytes after it are ignored, as asn1.Unmarshal's callers in
 * Rekor ignore its `rest`; `trailing` reports their count for callers that refuse them.
 */
export function parseDer(der: Uint8Array): { node: Asn1Node; trailing: number } {
  let decoded: ReturnType<typeof asn1js.fromBER>;
  try {
    decoded = asn1js.fromBER(der);
  } catch (err) {
    throw new CmsError(`asn1: syntax error: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (decoded.offset === -1) {
    const reason = decoded.result.error === '' ? 'data truncated' : decoded.result.error;
    throw new CmsError(`asn1: syntax error: ${reason}`);
  }
  return { node: toNode(decoded.result, 0), trailing: der.length - decoded.offset };
}

export function isUniversal(node: Asn1Node | undefined, tag: number, constructed: boolean): boolean {
  return node !== undefined && node.tagClass === 'universal' && node.tag === tag && node.constructed === constructed;
}

export function isContext(node: Asn1Node | undefined, tag: number, constructed: boolean): boolean {
  return node !== undefined && node.tagClass === 'context' && node.tag === tag && node.constructed === constructed;
}

/** A two's-complement INTEGER as a bigint (Go's *big.Int: non-empty, minimally encoded). */
export function readBigInt(node: Asn1Node, what: string): bigint {
  const c = node.content;
  if (!isMinimalInteger(c)) throw new CmsError(`asn1: structure error: integer not minimally-encoded (${what})`);
  let value = BigInt(`0x${Buffer.from(c).toString('hex')}`);
  if ((c[0] as number) & 0x80) value -= 1n << BigInt(c.length * 8);
  return value;
}

/** An INTEGER read into Go's `int` (64-bit): at most 8 octets. */
export function readInt(node: Asn1Node, what: string): bigint {
  if (node.content.length > 8) throw new CmsError(`asn1: structure error: integer too large (${what})`);
  return readBigInt(node, what);
}

/** Dotted OBJECT IDENTIFIER. */
export function readOid(node: Asn1Node, what: string): string {
  try {
    return oidToString(node.content);
  } catch {
    throw new CmsError(`asn1: syntax error: invalid OBJECT IDENTIFIER (${what})`);
  }
}
