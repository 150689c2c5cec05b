/**
 * OpenPGP ASCII armor as Rekor's Go library (ProtonMail/go-crypto openpgp/armor) writes and reads
 * it. Encoding is byte-exact with Go's `armor.Encode` + `Close`: BEGIN line, a blank line (no
 * headers), base64 in 64-column lines, `=` + base64(CRC24) on its own line, and the END line with
 * no trailing newline. openpgp.js's own `armor()` differs (trailing newline, optional checksum),
 * and canonical bytes are hashed into the index, so the form is written here by hand.
 * Decoding returns undefined for anything that is not one well-formed block; it never throws.
 */

const CRC24_INIT = 0xb704ce;
const CRC24_POLY = 0x1864cfb;
const LINE_LENGTH = 64;

export const ARMOR_PUBLIC_KEY = 'PGP PUBLIC KEY BLOCK';
export const ARMOR_PRIVATE_KEY = 'PGP PRIVATE KEY BLOCK';
export const ARMOR_SIGNATURE = 'PGP SIGNATURE';

/** RFC 4880 §6.1 CRC-24. */
export function crc24(data: Uint8Array): number {
  let crc = CRC24_INIT;
  for (const byte of data) {
    crc ^= byte << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= CRC24_POLY;
    }
  }
  return crc & 0xffffff;
}

function crcBase64(data: Uint8Array): string {
  const crc = crc24(data);
  return Buffer.from([(crc >> 16) & 0xff, (crc >> 8) & 0xff, crc & 0xff]).toString('base64');
}

/** Go's armor.Encode(w, blockType, nil) over `body`, then Close(). */
export function encodeArmor(blockType: string, body: Uint8Array): Uint8Array {
  const b64 = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += LINE_LENGTH) lines.push(b64.slice(i, i + LINE_LENGTH));
  // Go's line breaker writes each newline lazily before the next line, so the body never ends
  // in one; the checksum separator "\n=" supplies it.
  const text = `-----BEGIN ${blockType}-----\n\n${lines.join('\n')}\n=${crcBase64(body)}\n-----END ${blockType}-----`;
  return new TextEncoder().encode(text);
}

export interface ArmorBlock {
  readonly type: string;
  readonly body: Uint8Array;
}

const BEGIN = /^-----BEGIN (.+)-----$/;
const HEADER = /^[^:\s]+: ?.*$/;
const BASE64_LINE = /^[A-Za-z0-9+/=]+$/;
const CHECKSUM = /^=([A-Za-z0-9+/]{4})$/;

/**
 * Reads the first armored block of `text` (garbage before the BEGIN line is skipped, as Go
 * does). A checksum line, when present, must match.
 */
export function decodeArmor(text: string): ArmorBlock | undefined {
  const lines = text.split('\n').map((line) => line.replace(/[ \t\r]+$/, ''));
  let at = lines.findIndex((line) => BEGIN.test(line));
  if (at < 0) return undefined;
  const type = BEGIN.exec(lines[at] as string)?.[1] as string;
  at++;
  while (at < lines.length && HEADER.test(lines[at] as string)) at++;
  if (lines[at] === '') at++;
  let encoded = '';
  let checksum: string | undefined;
  for (; at < lines.length; at++) {
    const line = (lines[at] as string).trim();
    if (line.startsWith('-----')) break;
    const match = CHECKSUM.exec(line);
    if (match) {
      checksum = match[1];
      continue;
    }
    if (checksum !== undefined || (line !== '' && !BASE64_LINE.test(line))) return undefined;
    encoded += line;
  }
  if (lines[at]?.trim() !== `-----END ${type}-----`) return undefined;
  const body = decodeStrictBase64(encoded);
  if (body === undefined) return undefined;
  if (checksum !== undefined && checksum !== crcBase64(body)) return undefined;
  return { type, body };
}

function decodeStrictBase64(encoded: string): Uint8Array | undefined {
  if (encoded.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) return undefined;
  return new Uint8Array(Buffer.from(encoded, 'base64'));
}

/** Splits armored text into its blocks the way Rekor does: each ends at a `-----END PGP` line. */
export function splitArmoredBlocks(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    current.push(line);
    if (line.startsWith('-----END PGP')) {
      blocks.push(current.join('\n') + '\n');
      current = [];
    }
  }
  return blocks;
}
