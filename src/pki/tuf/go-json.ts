/**
 * Reading already-parsed JSON into the shapes go-tuf's Go structs have, with encoding/json's
 * rules where they decide acceptance: object members match field names case-insensitively (the
 * last matching member wins), `null` leaves a field at its zero value, and a value of the wrong
 * JSON type fails with a `json: cannot unmarshal …` error naming the field. Also Go's RFC 3339
 * time parsing and `time.Time.String()`, and a nesting bound. Errors are RekorError('invalid_entry').
 */
import { RekorError } from '../../errors.js';

export type JsonObject = { [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function tufError(message: string): RekorError {
  return new RekorError('invalid_entry', message);
}

/** The JSON type word encoding/json prints in an UnmarshalTypeError. */
function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'string' ? 'string' : 'object';
}

/** An UnmarshalTypeError: into a struct field (`Struct.path`) or, without `field`, a whole value. */
export function typeError(value: unknown, goType: string, field?: string): RekorError {
  // encoding/json quotes the number itself only when it was headed for an integer.
  const shown = typeof value === 'number' && /^u?int/.test(goType) ? `number ${String(value)}` : jsonType(value);
  return tufError(`json: cannot unmarshal ${shown} into Go ${field === undefined ? 'value' : `struct field ${field}`} of type ${goType}`);
}

/**
 * The member Go's decoder would store in field `name` (the last one matching it
 * case-insensitively), with null kept: `{ present: false }` when there is none.
 */
export function rawMember(object: JsonObject, name: string): { present: boolean; value: unknown } {
  const lower = name.toLowerCase();
  const key = Object.keys(object).filter((k) => k.toLowerCase() === lower).at(-1);
  return key === undefined ? { present: false, value: undefined } : { present: true, value: object[key] };
}

/** The member Go's decoder would store in field `name`, or undefined (absent or null). */
export function member(object: JsonObject, name: string): unknown {
  const { value } = rawMember(object, name);
  return value === null ? undefined : value;
}

export function stringField(object: JsonObject, name: string, field: string): string {
  const value = member(object, name);
  if (value === undefined) return '';
  if (typeof value !== 'string') throw typeError(value, 'string', field);
  return value;
}

/** An `int`/`int64` field: integral JSON numbers only (Go refuses fractions). */
export function intField(object: JsonObject, name: string, field: string, goType = 'int'): number {
  const value = member(object, name);
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw typeError(value, goType, field);
  return value;
}

export function boolField(object: JsonObject, name: string, field: string): boolean {
  const value = member(object, name);
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw typeError(value, 'bool', field);
  return value;
}

export function stringArray(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw typeError(value, '[]string', field);
  return value.map((item) => {
    if (item === null) return '';
    if (typeof item !== 'string') throw typeError(item, 'string', field);
    return item;
  });
}

/** A Go time.Time: the instant, and what `String()` prints for it. */
export interface GoTime {
  /** Milliseconds since the epoch, fraction below a millisecond dropped. */
  readonly epochMs: number;
  readonly nanos: number;
  readonly text: string;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  // Date.UTC maps years below 100 to 19xx; setUTCFullYear does not.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The zero time.Time, what a missing `expires` decodes to. */
export const GO_ZERO_TIME: GoTime = { epochMs: utcMs(1, 1, 1), nanos: 0, text: '0001-01-01 00:00:00 +0000 UTC' };

/** time.Time.UnmarshalJSON (layout RFC 3339, fractional seconds allowed). */
export function timeField(object: JsonObject, name: string, field: string): GoTime {
  const value = member(object, name);
  if (value === undefined) return GO_ZERO_TIME;
  if (typeof value !== 'string') throw typeError(value, 'time.Time', field);
  const m = RFC3339.exec(value);
  const bad = () => tufError(`parsing time ${JSON.stringify(JSON.stringify(value))} as "\\"2006-01-02T15:04:05Z07:00\\"": cannot parse as RFC 3339`);
  if (m === null) throw bad();
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fraction = m[7] ?? '';
  const zone = m[8] as string;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) throw bad();
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const [h, mm] = zone.slice(1).split(':').map(Number) as [number, number];
    if (h > 23 || mm > 59) throw bad();
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (h * 60 + mm);
  }
  const nanos = Number(fraction.padEnd(9, '0'));
  const epochMs = utcMs(year, month, day, hour, minute, second) - offsetMinutes * 60_000 + Math.floor(nanos / 1e6);
  const frac = fraction.replace(/0+$/, '');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  // Go names a zero offset UTC (on a UTC host); any other parsed offset has no zone name and
  // prints the offset twice.
  const zoneText = offsetMinutes === 0 ? '+0000 UTC' : `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
  const text = `${pad(year, 4)}-${pad(month)}-${pad(day)} ${pad(hour)}:${pad(minute)}:${pad(second)}${frac === '' ? '' : `.${frac}`} ${zoneText}`;
  return { epochMs, nanos, text };
}

/**
 * Refuses values nested deeper than `limit` without recursing, so that the recursive walks
 * (canonical JSON, JCS) that follow cannot exhaust the stack. Go's decoder stops at 10000.
 */
export function checkDepth(value: unknown, limit: number, what: string): void {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limit) throw tufError(`${what} is nested more than ${limit} levels deep`);
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth + 1]);
  }
}

/**
 * json.Unmarshal's input side: UTF-8 text (invalid sequences become U+FFFD, a byte-order mark is
 * refused) holding one JSON value.
 */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    if (text.trim() === '') throw tufError('unexpected end of JSON input');
    throw tufError(`invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}
