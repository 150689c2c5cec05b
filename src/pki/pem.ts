/**
 * PEM as Go's `encoding/pem` reads and writes it. Rekor decides what a key field *is* by
 * whether `pem.Decode` finds a block and whether anything follows it, so the same leniency
 * matters here: text before `-----BEGIN` is skipped, `Key: value` headers are allowed, spaces
 * and tabs inside the base64 are ignored, a malformed block makes the scan move on to the next
 * `-----BEGIN`. Never throws; the scan is linear in the input.
 */
import { decodeStdBase64 } from './base64.js';

export interface PemBlock {
  readonly type: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly bytes: Uint8Array;
}

export interface PemDecodeResult {
  /** The first well-formed block, or undefined (then `rest` is the whole input). */
  readonly block: PemBlock | undefined;
  readonly rest: Uint8Array;
}

const BEGIN_AT_START = Buffer.from('-----BEGIN ');
const BEGIN = Buffer.from('\n-----BEGIN ');
const END_AT_START = Buffer.from('-----END ');
const END = Buffer.from('\n-----END ');
const DASHES = Buffer.from('-----');

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function startsWith(data: Buffer, at: number, prefix: Buffer): boolean {
  return data.length - at >= prefix.length && data.compare(prefix, 0, prefix.length, at, at + prefix.length) === 0;
}

function isBlank(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09;
}

/**
 * The base64 body as text without blanks and line breaks. Go removes only blanks and lets the
 * decoder skip CR/LF, which accepts exactly the same bodies; dropping them here lets canonical
 * bodies take the decoder's fast path.
 */
function base64Body(data: Buffer): string {
  return data.toString('latin1').replace(/[ \t\r\n]/g, '');
}

/** Go's getLine: the line at `at` without its newline and trailing blanks, and where the next starts. */
function getLine(data: Buffer, at: number): { end: number; next: number } {
  let newline = data.indexOf(0x0a, at);
  let next: number;
  if (newline < 0) {
    newline = data.length;
    next = newline;
  } else {
    next = newline + 1;
    if (newline > at && data[newline - 1] === 0x0d) newline--;
  }
  let end = newline;
  while (end > at && isBlank(data[end - 1])) end--;
  return { end, next };
}

function trimAscii(text: string): string {
  return text.replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, '');
}

/** Finds `\n-----END ` at or after `from`, remembering the last answer so rescans stay linear. */
function endFinder(data: Buffer): (from: number) => number {
  let cached = -2;
  return (from) => {
    if (cached === -1 || (cached >= from && cached >= 0)) return cached;
    cached = data.indexOf(END, from);
    return cached;
  };
}

/** `Key: value` lines after the BEGIN line; undefined when the input ends among them. */
function readHeaders(data: Buffer, from: number): { headers: Map<string, string>; rest: number } | undefined {
  const headers = new Map<string, string>();
  let rest = from;
  for (;;) {
    if (rest >= data.length) return undefined;
    const line = getLine(data, rest);
    const text = data.subarray(rest, line.end);
    const colon = text.indexOf(0x3a);
    if (colon < 0) return { headers, rest };
    headers.set(trimAscii(text.subarray(0, colon).toString('latin1')), trimAscii(text.subarray(colon + 1).toString('latin1')));
    rest = line.next;
  }
}

/**
 * Where the base64 body ends (`endIndex`) for a block of `type` whose body starts at `rest`, or
 * undefined when no matching `-----END <type>-----` line follows.
 */
function findEndLine(data: Buffer, rest: number, type: Buffer, noHeaders: boolean, findEnd: (from: number) => number): number | undefined {
  let endIndex: number;
  let trailerAt: number;
  if (noHeaders && startsWith(data, rest, END_AT_START)) {
    // An empty body: the END line may follow the BEGIN line directly.
    endIndex = rest;
    trailerAt = rest + END_AT_START.length;
  } else {
    endIndex = findEnd(rest);
    if (endIndex < 0) return undefined;
    trailerAt = endIndex + END.length;
  }
  const trailerLength = type.length + DASHES.length;
  if (data.length - trailerAt < trailerLength) return undefined;
  const trailer = data.subarray(trailerAt, trailerAt + trailerLength);
  if (!trailer.subarray(0, type.length).equals(type) || !trailer.subarray(type.length).equals(DASHES)) return undefined;
  const afterTrailer = trailerAt + trailerLength;
  // Only blanks may follow on the END line.
  return getLine(data, afterTrailer).end === afterTrailer ? endIndex : undefined;
}

export function decodePem(input: Uint8Array): PemDecodeResult {
  const data = asBuffer(input);
  const findEnd = endFinder(data);
  let rest = 0;
  for (;;) {
    if (startsWith(data, rest, BEGIN_AT_START)) {
      rest += BEGIN_AT_START.length;
    } else {
      const at = data.indexOf(BEGIN, rest);
      if (at < 0) return { block: undefined, rest: input };
      rest = at + BEGIN.length;
    }
    const typeLine = getLine(data, rest);
    const typeText = data.subarray(rest, typeLine.end);
    rest = typeLine.next;
    if (typeText.length < DASHES.length || !typeText.subarray(typeText.length - DASHES.length).equals(DASHES)) continue;
    const type = typeText.subarray(0, typeText.length - DASHES.length);
    const head = readHeaders(data, rest);
    if (head === undefined) return { block: undefined, rest: input };
    rest = head.rest;
    const endIndex = findEndLine(data, rest, type, head.headers.size === 0, findEnd);
    if (endIndex === undefined) continue;
    let bytes: Uint8Array;
    try {
      bytes = decodeStdBase64(base64Body(data.subarray(rest, endIndex)));
    } catch {
      continue;
    }
    const next = getLine(data, endIndex + END.length - 1).next;
    return { block: { type: type.toString('utf8'), headers: head.headers, bytes }, rest: input.subarray(next) };
  }
}

/** Go's pem.Encode without headers: 64-column base64 body and a trailing newline. */
export function encodePem(type: string, der: Uint8Array): string {
  const body = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < body.length; i += 64) lines.push(body.slice(i, i + 64));
  return `-----BEGIN ${type}-----\n${lines.map((l) => `${l}\n`).join('')}-----END ${type}-----\n`;
}
