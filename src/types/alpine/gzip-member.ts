/**
 * One member of a concatenated gzip file, read the way Go's compress/gzip reads it with
 * Multistream(false): the RFC 1952 header, the raw deflate stream, the CRC-32/ISIZE trailer, and
 * nothing beyond — so the caller knows exactly where the member ends (an .apk's signature, control
 * and data parts are three members back to back, and the control member's raw bytes are what the
 * package signature covers). Inflation is capped (no decompression bombs): a member inflating to
 * more than `cap` bytes stops there. Failures carry Go's texts where Go has them (`EOF`,
 * `unexpected EOF`, `gzip: invalid header`, `gzip: invalid checksum`).
 */
import { constants as bufferConstants } from 'node:buffer';
import { crc32, inflateRawSync } from 'node:zlib';

export type GzipMember =
  | { readonly ok: true; readonly output: Buffer; readonly end: number }
  | { readonly ok: false; readonly stage: 'header' | 'body'; readonly error: string }
  | { readonly ok: false; readonly stage: 'cap'; readonly size: number };

const FLAG_HCRC = 0x02;
const FLAG_EXTRA = 0x04;
const FLAG_NAME = 0x08;
const FLAG_COMMENT = 0x10;
/** Go's gzip reader keeps header strings in a 512-byte buffer and refuses longer ones. */
const MAX_HEADER_STRING = 511;

type HeaderResult = { readonly ok: true; readonly dataStart: number } | { readonly ok: false; readonly error: string };

function headerEnd(input: Buffer, start: number): HeaderResult {
  const fail = (error: string): HeaderResult => ({ ok: false, error });
  if (start >= input.length) return fail('EOF');
  if (input.length - start < 10) return fail('unexpected EOF');
  if (input[start] !== 0x1f || input[start + 1] !== 0x8b || input[start + 2] !== 8) return fail('gzip: invalid header');
  const flags = input[start + 3] as number;
  let at = start + 10;
  if ((flags & FLAG_EXTRA) !== 0) {
    if (input.length - at < 2) return fail('unexpected EOF');
    at += 2 + input.readUInt16LE(at);
    if (at > input.length) return fail('unexpected EOF');
  }
  for (const flag of [FLAG_NAME, FLAG_COMMENT]) {
    if ((flags & flag) === 0) continue;
    const windowEnd = at + MAX_HEADER_STRING + 1;
    const nul = input.indexOf(0, at);
    if (nul < 0 || nul >= windowEnd) return fail(input.length < windowEnd ? 'unexpected EOF' : 'gzip: invalid header');
    at = nul + 1;
  }
  if ((flags & FLAG_HCRC) !== 0) {
    if (input.length - at < 2) return fail('unexpected EOF');
    if (input.readUInt16LE(at) !== (crc32(input.subarray(start, at)) & 0xffff)) return fail('gzip: invalid header');
    at += 2;
  }
  return { ok: true, dataStart: at };
}

function zlibFailure(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (code === 'Z_BUF_ERROR') return 'unexpected EOF';
  const message = err instanceof Error ? err.message : String(err);
  return `flate: corrupt input (${message})`;
}

/** Reads the member starting at `start`; `cap` bounds its inflated size. */
export function readGzipMember(input: Buffer, start: number, cap: number): GzipMember {
  const header = headerEnd(input, start);
  if (!header.ok) return { ok: false, stage: 'header', error: header.error };
  let output: Buffer;
  let consumed: number;
  try {
    const result = inflateRawSync(input.subarray(header.dataStart), { info: true, maxOutputLength: Math.min(cap + 1, bufferConstants.MAX_LENGTH) }) as unknown as {
      buffer: Buffer;
      engine: { bytesWritten: number };
    };
    output = result.buffer;
    consumed = result.engine.bytesWritten;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') return { ok: false, stage: 'cap', size: cap + 1 };
    return { ok: false, stage: 'body', error: zlibFailure(err) };
  }
  if (output.length > cap) return { ok: false, stage: 'cap', size: cap + 1 };
  const trailer = header.dataStart + consumed;
  if (input.length - trailer < 8) return { ok: false, stage: 'body', error: 'unexpected EOF' };
  if (input.readUInt32LE(trailer) !== crc32(output) || input.readUInt32LE(trailer + 4) !== output.length % 2 ** 32) {
    return { ok: false, stage: 'body', error: 'gzip: invalid checksum' };
  }
  return { ok: true, output, end: trailer + 8 };
}
