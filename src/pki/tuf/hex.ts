/**
 * go-tuf's HexBytes.UnmarshalJSON: the value must be a JSON string of an even number of hex
 * digits (either case), else `tuf: invalid JSON hex bytes` or encoding/hex's own error.
 */
import { RekorError } from '../../errors.js';

const HEX = /^[0-9a-fA-F]*$/;

/** Go's strconv.IsPrint for code points below 256 (what `%#U` consults). */
function isPrintLatin1(code: number): boolean {
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa1 && code <= 0xff && code !== 0xad);
}

export function decodeHexBytes(value: unknown): Uint8Array {
  if (typeof value !== 'string' || value.length % 2 !== 0) throw new RekorError('invalid_entry', 'tuf: invalid JSON hex bytes');
  if (!HEX.test(value)) {
    const bytes = Buffer.from(value, 'utf8');
    const bad = bytes.find((b) => !((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66))) ?? 0;
    const shown = isPrintLatin1(bad) ? ` '${String.fromCharCode(bad)}'` : '';
    throw new RekorError('invalid_entry', `encoding/hex: invalid byte: U+${bad.toString(16).toUpperCase().padStart(4, '0')}${shown}`);
  }
  return new Uint8Array(Buffer.from(value, 'hex'));
}
