/**
 * A small strict-DER reader and writer for the few structures pki walks itself (the public key
 * info, the certificate fields node:crypto does not expose, ECDSA signatures). Strict means:
 * one-byte tags, definite lengths in minimal form, every element inside its parent. Anything
 * else throws DerError, whose message is deliberately terse (the input is hostile).
 */

export class DerError extends Error {
  constructor(message = 'malformed DER') {
    super(message);
    this.name = 'DerError';
  }
}

export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

export interface Tlv {
  readonly tag: number;
  /** Offset of the tag byte. */
  readonly start: number;
  readonly contentStart: number;
  /** Offset just past the contents. */
  readonly end: number;
}

/** Reads one element at `pos`, which must end at or before `limit`. */
export function readTlv(buf: Uint8Array, pos: number, limit: number): Tlv {
  if (pos + 2 > limit) throw new DerError();
  const tag = buf[pos] as number;
  if ((tag & 0x1f) === 0x1f) throw new DerError();
  let length = buf[pos + 1] as number;
  let contentStart = pos + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    // 0x80 is BER's indefinite length; more than 4 length bytes is never a sane size here.
    if (count === 0 || count > 4 || contentStart + count > limit) throw new DerError();
    if (buf[contentStart] === 0) throw new DerError();
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (buf[contentStart + i] as number);
    if (length < 0x80) throw new DerError();
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > limit) throw new DerError();
  return { tag, start: pos, contentStart, end };
}

/** Sequential reader over the contents of one constructed element (or a whole buffer). */
export class DerReader {
  readonly buf: Uint8Array;
  private pos: number;
  private readonly limit: number;

  constructor(buf: Uint8Array, start = 0, limit = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.limit = limit;
  }

  get done(): boolean {
    return this.pos >= this.limit;
  }

  peekTag(): number | undefined {
    return this.done ? undefined : this.buf[this.pos];
  }

  read(expectedTag?: number): Tlv {
    const tlv = readTlv(this.buf, this.pos, this.limit);
    if (expectedTag !== undefined && tlv.tag !== expectedTag) throw new DerError();
    this.pos = tlv.end;
    return tlv;
  }

  readOptional(tag: number): Tlv | undefined {
    return this.peekTag() === tag ? this.read(tag) : undefined;
  }

  /** A reader over the contents of `tlv`. */
  enter(tlv: Tlv): DerReader {
    return new DerReader(this.buf, tlv.contentStart, tlv.end);
  }

  contents(tlv: Tlv): Uint8Array {
    return this.buf.subarray(tlv.contentStart, tlv.end);
  }

  raw(tlv: Tlv): Uint8Array {
    return this.buf.subarray(tlv.start, tlv.end);
  }
}

const oidCache = new Map<string, string>();
const OID_CACHE_LIMIT = 512;

/** Dotted text form of an OBJECT IDENTIFIER's contents (memoized: certificates repeat a few dozen OIDs). */
export function oidToString(content: Uint8Array): string {
  const cacheKey = Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('latin1');
  let text = oidCache.get(cacheKey);
  if (text === undefined) {
    text = decodeOid(content);
    if (oidCache.size < OID_CACHE_LIMIT) oidCache.set(cacheKey, text);
  }
  return text;
}

function decodeOid(content: Uint8Array): string {
  if (content.length === 0 || (content[content.length - 1] as number) & 0x80) throw new DerError();
  const arcs: string[] = [];
  let value = 0;
  let big: bigint | undefined; // only for arcs beyond 2^46, which real OIDs never have
  let start = true;
  for (let i = 0; i < content.length; i++) {
    const byte = content[i] as number;
    // A sub-identifier must not start with 0x80 (non-minimal).
    if (start && byte === 0x80) throw new DerError();
    start = false;
    if (big === undefined && value >= 2 ** 46) big = BigInt(value);
    if (big !== undefined) big = (big << 7n) | BigInt(byte & 0x7f);
    else value = value * 128 + (byte & 0x7f);
    if (byte & 0x80) continue;
    if (arcs.length === 0) {
      // The first sub-identifier packs two arcs: 40 * first + second.
      if (big !== undefined) arcs.push('2', (big - 80n).toString());
      else if (value < 80) arcs.push(String(Math.floor(value / 40)), String(value % 40));
      else arcs.push('2', String(value - 80));
    } else {
      arcs.push(big !== undefined ? big.toString() : String(value));
    }
    value = 0;
    big = undefined;
    start = true;
  }
  return arcs.join('.');
}

/** An INTEGER's contents as a non-negative bigint; rejects negative and non-minimal forms. */
export function unsignedInteger(content: Uint8Array): bigint {
  if (!isMinimalInteger(content) || (content[0] as number) & 0x80) throw new DerError();
  return BigInt(`0x${Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('hex')}`);
}

export function isMinimalInteger(content: Uint8Array): boolean {
  if (content.length === 0) return false;
  if (content.length === 1) return true;
  const [a, b] = content as unknown as [number, number];
  return !((a === 0x00 && (b & 0x80) === 0) || (a === 0xff && (b & 0x80) === 0x80));
}

function lengthBytes(length: number): number[] {
  if (length < 0x80) return [length];
  const out: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) out.unshift(n % 256);
  return [0x80 | out.length, ...out];
}

export function encodeTlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const length = parts.reduce((sum, p) => sum + p.length, 0);
  const header = [tag, ...lengthBytes(length)];
  const out = new Uint8Array(header.length + length);
  out.set(header, 0);
  let at = header.length;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** DER INTEGER for a non-negative bigint. */
export function encodeUnsignedInteger(value: bigint): Uint8Array {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const magnitude = Buffer.from(hex, 'hex');
  const needsZero = ((magnitude[0] as number) & 0x80) !== 0;
  return encodeTlv(Tag.INTEGER, needsZero ? Uint8Array.of(0, ...magnitude) : magnitude);
}

export interface GoAsn1Element {
  /** 0 universal, 1 application, 2 context-specific, 3 private. */
  readonly tagClass: number;
  readonly constructed: boolean;
  readonly tagNumber: number;
  readonly contentStart: number;
  readonly end: number;
}

/**
 * One element as Go's encoding/asn1 reads it: multi-byte tag numbers are allowed, lengths must be
 * definite and minimal. Used where Rekor's behaviour depends on that reader's leniency (it also
 * lets callers ignore trailing data, as asn1.Unmarshal does).
 */
export function readGoAsn1(buf: Uint8Array, pos: number, limit: number): GoAsn1Element {
  if (pos >= limit) throw new DerError();
  const first = buf[pos++] as number;
  let tagNumber = first & 0x1f;
  if (tagNumber === 0x1f) {
    tagNumber = 0;
    for (let count = 0; ; count++) {
      if (pos >= limit || count >= 4) throw new DerError();
      const b = buf[pos++] as number;
      if (count === 0 && b === 0x80) throw new DerError();
      tagNumber = tagNumber * 128 + (b & 0x7f);
      if (!(b & 0x80)) break;
    }
    if (tagNumber < 0x1f) throw new DerError();
  }
  if (pos >= limit) throw new DerError();
  let length = buf[pos++] as number;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || pos + count > limit || buf[pos] === 0) throw new DerError();
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (buf[pos++] as number);
    if (length < 0x80) throw new DerError();
  }
  const end = pos + length;
  if (end > limit) throw new DerError();
  return { tagClass: first >> 6, constructed: (first & 0x20) !== 0, tagNumber, contentStart: pos, end };
}
