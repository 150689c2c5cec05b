/**
 * Base64 as Go's `encoding/base64.StdEncoding` reads it, because Rekor decodes every binary spec
 * field (and every PEM body) that way and names the failing offset in its error text:
 * padding is required, `\r` and `\n` are skipped anywhere, any other byte outside the alphabet
 * is an error, non-zero trailing bits are tolerated. Throws Base64Error; never anything else.
 */

export class Base64Error extends Error {
  /** Byte offset into the input, computed exactly as Go's CorruptInputError. */
  readonly offset: number;

  constructor(offset: number) {
    super(`illegal base64 data at input byte ${offset}`);
    this.name = 'Base64Error';
    this.offset = offset;
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE_MAP = new Int16Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE_MAP[ALPHABET.charCodeAt(i)] = i;

const CANONICAL = /^[A-Za-z0-9+/]*={0,2}$/;
const PAD = 0x3d;
const LF = 0x0a;
const CR = 0x0d;

function skipNewlines(src: Uint8Array, si: number): number {
  while (si < src.length && (src[si] === LF || src[si] === CR)) si++;
  return si;
}

/**
 * Decodes one 4-character quantum starting at `si`, mirroring Go's decodeQuantum so that the
 * reported offsets agree. Returns the new input offset and the number of bytes written.
 */
function decodeQuantum(src: Uint8Array, si: number, dst: Uint8Array, n: number): [number, number] {
  const quantum = [0, 0, 0, 0];
  let dlen = 4;
  for (let j = 0; j < 4; ) {
    if (si === src.length) {
      if (j === 0) return [si, 0];
      // StdEncoding pads, so an incomplete final quantum is always an error.
      throw new Base64Error(si - j);
    }
    const c = src[si] as number;
    si++;
    const value = DECODE_MAP[c] as number;
    if (value >= 0) {
      quantum[j++] = value;
      continue;
    }
    if (c === LF || c === CR) continue;
    if (c !== PAD) throw new Base64Error(si - 1);
    if (j < 2) throw new Base64Error(si - 1);
    if (j === 2) {
      // "==" is expected; the first "=" is already consumed.
      si = skipNewlines(src, si);
      if (si === src.length) throw new Base64Error(src.length);
      if (src[si] !== PAD) throw new Base64Error(si - 1);
      si++;
    }
    si = skipNewlines(src, si);
    if (si < src.length) throw new Base64Error(si);
    dlen = j;
    break;
  }
  const [a, b, c, d] = quantum as [number, number, number, number];
  const bits = (a << 18) | (b << 12) | (c << 6) | d;
  const bytes = [(bits >> 16) & 0xff, (bits >> 8) & 0xff, bits & 0xff];
  for (let k = 0; k < dlen - 1; k++) dst[n + k] = bytes[k] as number;
  return [si, dlen - 1];
}

/** Decodes standard padded base64 (Go StdEncoding semantics). A string is read as UTF-8. */
export function decodeStdBase64(input: Uint8Array | string): Uint8Array {
  if (typeof input === 'string' && input.length % 4 === 0 && CANONICAL.test(input)) {
    // Fast path: canonical text decodes the same under both rules.
    return new Uint8Array(Buffer.from(input, 'base64'));
  }
  const src = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const dst = new Uint8Array(Math.floor(src.length / 4) * 3 + 3);
  let si = 0;
  let n = 0;
  while (si < src.length) {
    const [next, written] = decodeQuantum(src, si, dst, n);
    si = next;
    n += written;
  }
  return dst.slice(0, n);
}

/** Standard padded base64, as Go's encoding/json writes a []byte. */
export function encodeStdBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
