/**
 * The RPM file layout as Rekor reads it (sassoftware/go-rpmutils v0.4.0, readSignatureHeader and
 * readHeader): a 96-byte lead, the signature header (its data store padded to 8 bytes), the main
 * header, then the payload up to the end of the file. Each header is a 16-byte intro (magic
 * 8e ad e8 01, reserved, entry count, data size), 16-byte index entries (tag, type, offset,
 * count, big-endian) and the data store.
 *
 * The main header must match the SHA-256 (else SHA-1) hex digest the signature header holds, as
 * go-rpmutils checks before reading its entries. Entries are read with go-rpmutils' leniency
 * (unknown types are read as NUL-terminated strings, a repeated tag keeps its last entry), but
 * every offset, count and length is checked against the buffer: where Go would index out of
 * range and panic, this throws RekorError('invalid_entry') naming the tag. rpm's own caps bound
 * the entry count and data size, and a scan budget keeps overlapping string entries linear.
 * Nothing is copied: entries are views into the input.
 */
import { createHash } from 'node:crypto';
import { invalidEntry } from '../../go-decode.js';

export const LEAD_SIZE = 96;
const LEAD_MAGIC = 0xedabeedb;
const HEADER_MAGIC = 0x8eade801;
const INTRO_SIZE = 16;
const ENTRY_SIZE = 16;

/** rpm's HEADER_TAGS_MAX: more index entries than this is not an RPM header. */
export const MAX_HEADER_ENTRIES = 0xffff;
/** rpm's HEADER_DATA_MAX (256 MiB): a larger data store is not an RPM header. */
export const MAX_HEADER_DATA = 0x0fffffff;

export const RPM_TYPE = {
  NULL: 0,
  CHAR: 1,
  INT8: 2,
  INT16: 3,
  INT32: 4,
  INT64: 5,
  STRING: 6,
  BIN: 7,
  STRING_ARRAY: 8,
  I18NSTRING: 9,
} as const;

/** Byte size of the fixed-size types; every other type is read as NUL-terminated strings. */
const FIXED_SIZES: ReadonlyMap<number, number> = new Map([
  [RPM_TYPE.NULL, 0],
  [RPM_TYPE.CHAR, 1],
  [RPM_TYPE.INT8, 1],
  [RPM_TYPE.INT16, 2],
  [RPM_TYPE.INT32, 4],
  [RPM_TYPE.INT64, 8],
  [RPM_TYPE.BIN, 1],
]);

const INT_SIZES: ReadonlyMap<number, number> = new Map([
  [RPM_TYPE.CHAR, 1],
  [RPM_TYPE.INT8, 1],
  [RPM_TYPE.INT16, 2],
  [RPM_TYPE.INT32, 4],
  [RPM_TYPE.INT64, 8],
]);

const STRING_TYPES: ReadonlySet<number> = new Set([RPM_TYPE.STRING, RPM_TYPE.STRING_ARRAY, RPM_TYPE.I18NSTRING]);

/** Tags of the signature header (go-rpmutils numbers the 1000+ ones from 16384 + n). */
export const SIG_TAG = { DSA: 267, RSA: 268, SHA1: 269, SHA256: 273, PGP: 1002, MD5: 1004, GPG: 1005 } as const;
/** Tags of the main header. */
export const TAG = { NAME: 1000, VERSION: 1001, RELEASE: 1002, EPOCH: 1003, ARCH: 1022, PAYLOADDIGEST: 5092, PAYLOADDIGESTALGO: 5093 } as const;

export interface HeaderEntry {
  readonly type: number;
  readonly count: number;
  /** The entry's bytes in the data store (for strings: through the last NUL). */
  readonly contents: Uint8Array;
}

/** One parsed header: its entries by tag and its exact bytes (intro, index, data, padding). */
export class RpmHeader {
  constructor(
    readonly entries: ReadonlyMap<number, HeaderEntry>,
    readonly raw: Uint8Array,
  ) {}

  has(tag: number): boolean {
    return this.entries.has(tag);
  }

  /** go-rpmutils GetBytes: undefined when absent, an error when not of the binary type. */
  bytes(tag: number): Uint8Array | undefined {
    const entry = this.entries.get(tag);
    if (entry === undefined) return undefined;
    if (entry.type !== RPM_TYPE.BIN) throw invalidEntry(`unsupported datatype for bytes: ${entry.type}, tag: ${tag}`);
    return entry.contents;
  }

  /** go-rpmutils GetStrings: the first `count` NUL-separated strings, decoded as Go strings. */
  strings(tag: number): string[] | undefined {
    const entry = this.entries.get(tag);
    if (entry === undefined) return undefined;
    if (!STRING_TYPES.has(entry.type)) throw invalidEntry(`unsupported datatype for string: ${entry.type}, tag: ${tag}`);
    const out: string[] = [];
    let at = 0;
    for (let i = 0; i < entry.count; i++) {
      const nul = entry.contents.indexOf(0, at);
      out.push(goString(entry.contents.subarray(at, nul)));
      at = nul + 1;
    }
    return out;
  }

  /** The first string of a tag Rekor indexes with `[0]`; an empty entry is an error, not a panic. */
  firstString(tag: number): string | undefined {
    const values = this.strings(tag);
    if (values === undefined) return undefined;
    const first = values[0];
    if (first === undefined) throw invalidEntry(`tag ${tag} holds no value`);
    return first;
  }

  /**
   * go-rpmutils GetUint64s (`wide`) or GetUint32s: integers of any int type (GetUint32s refuses
   * INT64 as "too big").
   */
  uints(tag: number, wide: boolean): bigint[] | undefined {
    const entry = this.entries.get(tag);
    if (entry === undefined) return undefined;
    const size = INT_SIZES.get(entry.type);
    if (size === undefined) throw invalidEntry(`tag ${tag} isn't an int type`);
    if (size === 8 && !wide) throw invalidEntry(`tag ${tag} is too big for int type`);
    const { contents } = entry;
    const view = new DataView(contents.buffer, contents.byteOffset, contents.byteLength);
    const out: bigint[] = [];
    for (let at = 0; at + size <= contents.length; at += size) {
      if (size === 8) out.push(view.getBigUint64(at));
      else out.push(BigInt(size === 1 ? view.getUint8(at) : size === 2 ? view.getUint16(at) : view.getUint32(at)));
    }
    return out;
  }
}

export interface RpmFile {
  readonly signature: RpmHeader;
  readonly header: RpmHeader;
  /** Everything after the main header. */
  readonly payload: Uint8Array;
}

/**
 * Go's string(bytes) as encoding/json writes it: each byte that does not start a valid UTF-8
 * sequence becomes one U+FFFD (TextDecoder replaces maximal subparts instead, which differs).
 */
export function goString(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i] as number;
    if (b0 < 0x80) {
      out += String.fromCharCode(b0);
      i++;
      continue;
    }
    const width = utf8Width(bytes, i);
    if (width === 0) {
      out += '\ufffd';
      i++;
    } else {
      out += Buffer.from(bytes.subarray(i, i + width)).toString('utf8');
      i += width;
    }
  }
  return out;
}

/** Length of the well-formed UTF-8 sequence at `i` (Unicode Table 3-7), or 0. */
function utf8Width(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i] as number;
  const cont = (at: number, lo = 0x80, hi = 0xbf): boolean => {
    const b = bytes[at];
    return b !== undefined && b >= lo && b <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(i + 1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

/** io.ReadFull's error: EOF when nothing was available, unexpected EOF when some was. */
function eof(available: number): string {
  return available <= 0 ? 'EOF' : 'unexpected EOF';
}

interface HeaderBlock {
  readonly raw: Uint8Array;
  readonly table: Uint8Array;
  readonly data: Uint8Array;
  readonly entryCount: number;
}

/** readHeader up to the digest check: intro, index table and data store, bounds-checked. */
function readBlock(file: Uint8Array, start: number, signatureBlock: boolean): HeaderBlock {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const left = file.length - start;
  if (left < INTRO_SIZE) throw invalidEntry(`error reading RPM header: ${eof(left)}`);
  if (view.getUint32(start) !== HEADER_MAGIC) throw invalidEntry('bad magic for header');
  const entryCount = view.getUint32(start + 8);
  const size = view.getUint32(start + 12);
  if (entryCount > MAX_HEADER_ENTRIES) throw invalidEntry(`RPM header has ${entryCount} index entries, more than the limit of ${MAX_HEADER_ENTRIES}`);
  if (size > MAX_HEADER_DATA) throw invalidEntry(`RPM header data store is ${size} bytes, more than the limit of ${MAX_HEADER_DATA}`);
  const tableStart = start + INTRO_SIZE;
  const tableEnd = tableStart + entryCount * ENTRY_SIZE;
  if (tableEnd > file.length) throw invalidEntry(`error reading RPM header table: ${eof(file.length - tableStart)}`);
  // The signature header's data store is followed by padding to an 8-byte boundary.
  const dataSize = signatureBlock ? Math.ceil(size / 8) * 8 : size;
  const dataEnd = tableEnd + dataSize;
  if (dataEnd > file.length) throw invalidEntry(`error reading RPM header data: ${eof(file.length - tableEnd)}`);
  return {
    raw: file.subarray(start, dataEnd),
    table: file.subarray(tableStart, tableEnd),
    data: file.subarray(tableEnd, dataEnd),
    entryCount,
  };
}

/** The entries of a block, with go-rpmutils' extent rules and explicit bounds checks. */
function readEntries(block: HeaderBlock): Map<number, HeaderEntry> {
  const { table, data } = block;
  const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const entries = new Map<number, HeaderEntry>();
  // Well-formed headers never overlap, so string scanning totals about the data size; the budget
  // stops crafted entries that all point at one long run of bytes from scanning it over and over.
  let scanBudget = 4 * data.length + 65_536;
  for (let i = 0; i < block.entryCount; i++) {
    const at = i * ENTRY_SIZE;
    const tag = view.getInt32(at);
    const type = view.getInt32(at + 4);
    const offset = view.getInt32(at + 8);
    const count = view.getInt32(at + 12);
    if (offset < 0 || offset > data.length) throw invalidEntry(`tag ${tag} has offset ${offset} outside the header data (${data.length} bytes)`);
    let end: number;
    const fixed = FIXED_SIZES.get(type);
    if (fixed !== undefined) {
      end = offset + fixed * count;
      if (count < 0 || end > data.length) throw invalidEntry(`tag ${tag} is truncated`);
    } else {
      end = offset;
      for (let n = 0; n < count; n++) {
        const nul = data.indexOf(0, end);
        if (nul < 0) throw invalidEntry(`tag ${tag} is truncated`);
        scanBudget -= nul + 1 - end;
        if (scanBudget < 0) throw invalidEntry('RPM header entries overlap too much to be read');
        end = nul + 1;
      }
    }
    entries.set(tag, { type, count, contents: data.subarray(offset, end) });
  }
  return entries;
}

/** The digest the signature header gives for the main header: SHA-256 if present, else SHA-1. */
function headerDigest(signature: RpmHeader): { value: string; algorithm: 'sha256' | 'sha1'; name: string } {
  const sha256 = optionalFirstString(signature, SIG_TAG.SHA256);
  if (sha256 !== '') return { value: sha256, algorithm: 'sha256', name: 'SHA-256' };
  return { value: optionalFirstString(signature, SIG_TAG.SHA1), algorithm: 'sha1', name: 'SHA-1' };
}

/** go-rpmutils getSha256/getSha1: a tag of the wrong type counts as absent. */
function optionalFirstString(header: RpmHeader, tag: number): string {
  const entry = header.entries.get(tag);
  if (entry === undefined || !STRING_TYPES.has(entry.type)) return '';
  return header.firstString(tag) ?? '';
}

/**
 * Splits an RPM into its two headers and payload, checking the lead magic and the main header's
 * digest. Signatures are not checked here (see rpm-verify.ts). Throws RekorError('invalid_entry').
 */
export function parseRpm(file: Uint8Array): RpmFile {
  if (file.length < LEAD_SIZE) throw invalidEntry(`error reading RPM lead: ${eof(file.length)}`);
  const magic = new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(0);
  if (magic !== LEAD_MAGIC) throw invalidEntry('file is not an RPM');
  const sigBlock = readBlock(file, LEAD_SIZE, true);
  const signature = new RpmHeader(readEntries(sigBlock), sigBlock.raw);
  const digest = headerDigest(signature);
  const mainStart = LEAD_SIZE + sigBlock.raw.length;
  const mainBlock = readBlock(file, mainStart, false);
  if (digest.value.length > 1) {
    const computed = createHash(digest.algorithm).update(mainBlock.raw).digest('hex');
    if (computed !== digest.value) throw invalidEntry(`${digest.name} mismatch in signature header`);
  }
  const header = new RpmHeader(readEntries(mainBlock), mainBlock.raw);
  return { signature, header, payload: file.subarray(mainStart + mainBlock.raw.length) };
}
