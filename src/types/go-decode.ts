/**
 * Helpers every entry kind needs to read a proposed spec the way Rekor's Go code does, so that
 * accepted inputs and error texts match: base64 fields (Go StdEncoding), hex digests
 * (encoding/hex), the `%T` names of JSON values that are not objects, and go-openapi's
 * `validation failure list` for schema violations. All failures are RekorError('invalid_entry').
 */
import { RekorError } from '../errors.js';
import { Base64Error, decodeStdBase64 } from '../pki/base64.js';

export function invalidEntry(message: string): RekorError {
  return new RekorError('invalid_entry', message);
}

/** What Go's `%T` prints for a value decoded by go-openapi's JSON consumer (UseNumber). */
export function goTypeName(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return '[]interface {}';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
    case 'bigint':
      return 'json.Number';
    case 'boolean':
      return 'bool';
    default:
      return 'map[string]interface {}';
  }
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A member that Go's mapstructure-free decoders read: present only if it is a string. */
export function stringMember(object: Record<string, unknown>, name: string): string | undefined {
  const value = Object.hasOwn(object, name) ? object[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** A member that is read only if it is a JSON object. */
export function objectMember(object: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const value = Object.hasOwn(object, name) ? object[name] : undefined;
  return isJsonObject(value) ? value : undefined;
}

/**
 * A base64 spec field; empty means absent (Rekor skips empty strings). `what` names the field
 * in the error, e.g. `signature content`.
 */
export function decodeBase64Field(value: string | undefined, what: string): Uint8Array | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    return decodeStdBase64(value);
  } catch (err) {
    if (err instanceof Base64Error) throw invalidEntry(`failed parsing base64 data for ${what}: ${err.message}`);
    throw err;
  }
}

/** Go's strconv.IsPrint for code points below 256 (what `%#U` consults). */
function isPrintLatin1(code: number): boolean {
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa1 && code <= 0xff && code !== 0xad);
}

/** encoding/hex.DecodeString, with its `invalid byte: U+0067 'g'` error text. */
export function decodeHex(text: string): Uint8Array {
  const bytes = Buffer.from(text, 'utf8');
  for (const byte of bytes) {
    const isHex = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
    if (!isHex) {
      const code = `U+${byte.toString(16).toUpperCase().padStart(4, '0')}`;
      const shown = isPrintLatin1(byte) ? ` '${String.fromCharCode(byte)}'` : '';
      throw invalidEntry(`encoding/hex: invalid byte: ${code}${shown}`);
    }
  }
  if (bytes.length % 2 !== 0) throw invalidEntry('encoding/hex: odd length hex string');
  return new Uint8Array(Buffer.from(bytes.toString('latin1'), 'hex'));
}

/** go-openapi's CompositeValidationError text for a model's Validate(). */
export function validationFailure(messages: readonly string[]): RekorError {
  return invalidEntry(['validation failure list:', ...messages].join('\n'));
}

/**
 * Schema errors of an optional `{algorithm, value}` sha256 hash member (rekord, rpm, jar, alpine).
 * Only the first survives go-swagger's renaming, whose path names the member twice, e.g.
 * `data.data.hash.data.hash` for `member` = `data`.
 */
export function sha256HashErrors(hash: { readonly algorithm: string | undefined; readonly value: string | undefined } | undefined, member: string): string[] {
  if (hash === undefined) return [];
  const path = `${member}.${member}.hash.${member}.hash`;
  if (hash.algorithm === undefined) return [`${path}.algorithm in body is required`];
  if (hash.algorithm !== 'sha256') return [`${path}.algorithm in body should be one of [sha256]`];
  if (hash.value === undefined) return [`${path}.value in body is required`];
  return [];
}

/**
 * A `url` member in place of inline content: the server resolves those before the kind sees the
 * spec only when the operator allows fetching (src/server/url-fetch.ts), so here it is refused.
 */
export function urlRefused(path: string): RekorError {
  return invalidEntry(`${path}.url: fetching URLs is not enabled on this server; submit the content inline`);
}

export function refuseUrl(raw: Record<string, unknown> | undefined, path: string): void {
  if (raw !== undefined && Object.hasOwn(raw, 'url')) throw urlRefused(path);
}
