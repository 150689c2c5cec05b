/**
 * A strict well-formedness walk over untrusted CBOR, run before cbor-x decodes it. cbor-x trusts
 * declared lengths and nests without bound; this walk refuses what go-cose's decoder refuses and
 * what could make cbor-x allocate or recurse far beyond the input: indefinite lengths, a
 * declared length longer than the bytes left, nesting deeper than MAX_DEPTH, any tag (go-cose
 * forbids tags inside COSE_Sign1), invalid UTF-8 text, duplicate map keys, trailing bytes.
 * Pure; throws CborScanError with a short text, never anything else.
 */

export class CborScanError extends Error {}

/** COSE headers and a Sign1 array need a handful of levels; real messages never come close. */
export const MAX_DEPTH = 16;

const utf8 = new TextDecoder('utf-8', { fatal: true });

interface Head {
  readonly major: number;
  /** The argument: a length, a count or an integer value (a bigint only past 2^53). */
  readonly value: number;
  readonly next: number;
}

function readHead(bytes: Uint8Array, at: number): Head {
  const first = bytes[at];
  if (first === undefined) throw new CborScanError('unexpected end of data');
  const major = first >> 5;
  const info = first & 0x1f;
  if (info < 24) return { major, value: info, next: at + 1 };
  if (info > 27) throw new CborScanError(info === 31 ? 'indefinite length not allowed' : 'malformed head');
  const size = 1 << (info - 24);
  if (at + 1 + size > bytes.length) throw new CborScanError('unexpected end of data');
  let value = 0;
  for (let i = 0; i < size; i++) value = value * 256 + (bytes[at + 1 + i] as number);
  // Past 2^53 a length is absurd anyway; as an integer value it only needs to stay ordered.
  return { major, value, next: at + 1 + size };
}

function need(bytes: Uint8Array, at: number, length: number): void {
  if (length > bytes.length - at) throw new CborScanError('declared length exceeds data');
}

/** Walks one item starting at `at`; returns the offset just past it. */
function scanItem(bytes: Uint8Array, at: number, depth: number): number {
  if (depth > MAX_DEPTH) throw new CborScanError('nesting too deep');
  const head = readHead(bytes, at);
  switch (head.major) {
    case 0:
    case 1:
    case 7:
      return head.next;
    case 2:
      need(bytes, head.next, head.value);
      return head.next + head.value;
    case 3:
      need(bytes, head.next, head.value);
      try {
        utf8.decode(bytes.subarray(head.next, head.next + head.value));
      } catch {
        throw new CborScanError('invalid UTF-8 string');
      }
      return head.next + head.value;
    case 4: {
      // Every element takes at least one byte, so the count is bounded by the bytes left.
      need(bytes, head.next, head.value);
      let next = head.next;
      for (let i = 0; i < head.value; i++) next = scanItem(bytes, next, depth + 1);
      return next;
    }
    case 5:
      return scanMap(bytes, head, depth);
    default:
      throw new CborScanError('CBOR tag not allowed');
  }
}

function scanMap(bytes: Uint8Array, head: Head, depth: number): number {
  need(bytes, head.next, head.value * 2);
  const keys = new Set<string>();
  let next = head.next;
  for (let i = 0; i < head.value; i++) {
    const keyEnd = scanItem(bytes, next, depth + 1);
    const key = Buffer.from(bytes.buffer, bytes.byteOffset + next, keyEnd - next).toString('hex');
    if (keys.has(key)) throw new CborScanError('duplicate map key');
    keys.add(key);
    next = scanItem(bytes, keyEnd, depth + 1);
  }
  return next;
}

/**
 * Checks that `bytes` is exactly one well-formed item as described above. With `allowTag`, the
 * outermost item may carry that one tag number (COSE_Sign1_Tagged's 18).
 */
export function scanCbor(bytes: Uint8Array, allowTag?: number): void {
  let at = 0;
  const first = bytes[0];
  if (allowTag !== undefined && first !== undefined && first >> 5 === 6) {
    const head = readHead(bytes, 0);
    if (head.value !== allowTag) throw new CborScanError('CBOR tag not allowed');
    at = head.next;
  }
  const end = scanItem(bytes, at, 0);
  if (end !== bytes.length) throw new CborScanError('extraneous data');
}
