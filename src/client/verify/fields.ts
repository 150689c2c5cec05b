/**
 * Readers for untrusted JSON fields: Rekor v1 API objects (JSON numbers, hex hashes, standard
 * base64) and protobuf-JSON bundles (int64 as strings, base64 standard or URL-safe). Every
 * failure is VerificationError('MALFORMED') naming the field.
 */
import { parseHex } from '../../crypto/index.js';
import { decodeStdBase64 } from '../../note/index.js';
import { VerificationError } from './errors.js';

export type JsonObject = Record<string, unknown>;

const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;
const MAX_INT64 = (1n << 63n) - 1n;
// One character class: an alternation of overlapping classes backtracks exponentially on bad input.
const PROTO_BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;

export function malformed(message: string, cause?: unknown): VerificationError {
  return new VerificationError('MALFORMED', message, cause === undefined ? undefined : { cause });
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw malformed(`${what} is not valid JSON`, err);
  }
}

export function readObject(value: unknown, field: string): JsonObject {
  if (!isObject(value)) throw malformed(`${field} must be an object`);
  return value;
}

export function readString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw malformed(`${field} must be a string`);
  return value;
}

/** A non-negative integer: JSON number (safe range), bigint, or decimal string (proto3 int64). */
export function readIndex(value: unknown, field: string): bigint {
  let result: bigint;
  if (typeof value === 'bigint') result = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) result = BigInt(value);
  else if (typeof value === 'string' && INTEGER.test(value) && value.length <= 20) result = BigInt(value);
  else throw malformed(`${field} must be an integer`);
  if (result < 0n) throw malformed(`${field} ${result} is negative`);
  if (result > MAX_INT64) throw malformed(`${field} ${result} is out of range`);
  return result;
}

/** Like readIndex, with proto3's default of 0 for an absent field. */
export function readProtoIndex(value: unknown, field: string): bigint {
  return value === undefined ? 0n : readIndex(value, field);
}

export function readHex(value: unknown, field: string, length?: number): Uint8Array {
  const bytes = parseHex(readString(value, field));
  if (bytes === undefined) throw malformed(`${field} must be hex`);
  if (length !== undefined && bytes.length !== length) throw malformed(`${field} has ${bytes.length} bytes, want ${length}`);
  return bytes;
}

/** Standard padded base64 (Rekor v1 API). */
export function readStdBase64(value: unknown, field: string): Uint8Array {
  const bytes = decodeStdBase64(readString(value, field));
  if (bytes === undefined) throw malformed(`${field} must be standard base64`);
  return bytes;
}

/** proto3 JSON bytes: standard or URL-safe base64, padding optional. */
export function readProtoBytes(value: unknown, field: string): Uint8Array {
  const text = readString(value, field);
  if (!PROTO_BASE64.test(text) || text.replace(/=+$/, '').length % 4 === 1) throw malformed(`${field} must be base64`);
  return Uint8Array.from(Buffer.from(text, 'base64'));
}
