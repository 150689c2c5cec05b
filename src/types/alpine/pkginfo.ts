/**
 * `.PKGINFO` parsed the way Rekor parses it: gopkg.in/ini.v1 `ini.Load` with default options,
 * keeping the default section's key/values (pkg/types/alpine/apk.go parsePkginfo). The rules that
 * matter for abuild's `key = value` lines and for hostile input alike: `=` and `:` both delimit
 * (the first one wins), `#`/`;` start comments (also inline), a repeated key keeps its last
 * value, a trailing `\` joins the next line, `[name]` opens a section whose keys are dropped, and
 * quoted values lose their quotes. Lines are handled as bytes (here: latin1 strings, one char per
 * byte) so that byte positions and Go's Unicode white-space trimming agree with go-ini; the
 * results are turned into text the way Go's JSON encoder does (each invalid UTF-8 byte → U+FFFD).
 * Errors carry go-ini's texts; the caller prefixes `parsing .PKGINFO: `.
 */

export class PkginfoError extends Error {}

const DEFAULT_SECTION = 'DEFAULT';

/** Unicode White_Space beyond ASCII, as latin1 strings of their UTF-8 bytes. */
const WIDE_SPACES = [
  '\xc2\x85', '\xc2\xa0', '\xe1\x9a\x80', '\xe2\x80\xa8', '\xe2\x80\xa9', '\xe2\x80\xaf', '\xe2\x81\x9f', '\xe3\x80\x80',
  ...Array.from({ length: 11 }, (_, i) => `\xe2\x80${String.fromCharCode(0x80 + i)}`),
];

function isAsciiSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

/** Length of the white-space rune starting at `at` (0 if none): Go's unicode.IsSpace on UTF-8. */
function spaceAt(s: string, at: number): number {
  if (at >= s.length) return 0;
  if (isAsciiSpace(s.charCodeAt(at))) return 1;
  if (s.charCodeAt(at) < 0x80) return 0;
  for (const w of WIDE_SPACES) if (s.startsWith(w, at)) return w.length;
  return 0;
}

/** Length of the white-space rune ending at `end` (0 if none). */
function spaceBefore(s: string, start: number, end: number): number {
  if (end <= start) return 0;
  if (isAsciiSpace(s.charCodeAt(end - 1))) return 1;
  if (s.charCodeAt(end - 1) < 0x80) return 0;
  for (const w of WIDE_SPACES) if (end - w.length >= start && s.startsWith(w, end - w.length)) return w.length;
  return 0;
}

function trimLeft(s: string): string {
  let start = 0;
  for (let n = spaceAt(s, start); n > 0; n = spaceAt(s, start)) start += n;
  return s.slice(start);
}

function trimSpace(s: string): string {
  const left = trimLeft(s);
  let end = left.length;
  for (let n = spaceBefore(left, 0, end); n > 0; n = spaceBefore(left, 0, end)) end -= n;
  return left.slice(0, end);
}

function indexAny(s: string, chars: string, from = 0): number {
  for (let i = from; i < s.length; i++) if (chars.includes(s.charAt(i))) return i;
  return -1;
}

/** Go's DecodeRune over latin1-held bytes: [code point, length], or [-1, 1] when invalid. */
function decodeRune(s: string, at: number): [number, number] {
  const b0 = s.charCodeAt(at);
  if (b0 < 0x80) return [b0, 1];
  const cont = (i: number, lo = 0x80, hi = 0xbf): number => {
    const b = at + i < s.length ? s.charCodeAt(at + i) : -1;
    return b >= lo && b <= hi ? b & 0x3f : -1;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    const c1 = cont(1);
    return c1 < 0 ? [-1, 1] : [((b0 & 0x1f) << 6) | c1, 2];
  }
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const c1 = cont(1, b0 === 0xe0 ? 0xa0 : 0x80, b0 === 0xed ? 0x9f : 0xbf);
    const c2 = c1 < 0 ? -1 : cont(2);
    return c2 < 0 ? [-1, 1] : [((b0 & 0x0f) << 12) | (c1 << 6) | c2, 3];
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const c1 = cont(1, b0 === 0xf0 ? 0x90 : 0x80, b0 === 0xf4 ? 0x8f : 0xbf);
    const c2 = c1 < 0 ? -1 : cont(2);
    const c3 = c2 < 0 ? -1 : cont(3);
    return c3 < 0 ? [-1, 1] : [((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3, 4];
  }
  return [-1, 1];
}

/** Bytes (as latin1) to text as Go's encoding/json writes a string: invalid bytes → U+FFFD. */
export function goText(bytes: string): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const [rune, size] = decodeRune(bytes, i);
    out += rune < 0 ? '\ufffd' : String.fromCodePoint(rune);
    i += size;
  }
  return out;
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's strconv.Quote (what `%q` prints) over latin1-held bytes. */
function goQuote(bytes: string): string {
  let out = '"';
  for (let i = 0; i < bytes.length; ) {
    const [rune, size] = decodeRune(bytes, i);
    if (rune < 0) {
      out += `\\x${bytes.charCodeAt(i).toString(16).padStart(2, '0')}`;
    } else {
      const ch = String.fromCodePoint(rune);
      const escapes: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };
      const escaped = escapes[ch];
      if (escaped !== undefined) out += escaped;
      else if (PRINTABLE.test(ch)) out += ch;
      else if (rune < 0x80) out += `\\x${rune.toString(16).padStart(2, '0')}`;
      else if (rune < 0x10000) out += `\\u${rune.toString(16).padStart(4, '0')}`;
      else out += `\\U${rune.toString(16).padStart(8, '0')}`;
    }
    i += size;
  }
  return `${out}"`;
}

/** bufio.Reader.ReadBytes('\n') over the whole input. */
class Lines {
  private at = 0;
  eof = false;
  constructor(private readonly text: string) {}

  next(): string {
    const nl = this.text.indexOf('\n', this.at);
    const end = nl < 0 ? this.text.length : nl + 1;
    if (nl < 0) this.eof = true;
    const line = this.text.slice(this.at, end);
    this.at = end;
    return line;
  }
}

function readKeyName(line: string): { name: string; offset: number } {
  let quote = '';
  if (line.startsWith('"')) quote = line.length > 6 && line.startsWith('"""') ? '"""' : '"';
  else if (line.startsWith('`')) quote = '`';
  if (quote !== '') {
    const start = quote.length;
    const pos = line.indexOf(quote, start);
    if (pos < 0) throw new PkginfoError(`missing closing key quote: ${goText(line)}`);
    const i = indexAny(line, '=:', pos + start);
    if (i < 0) throw new PkginfoError(`key-value delimiter not found: ${goText(line)}`);
    return { name: trimSpace(line.slice(start, pos)), offset: i + 1 };
  }
  const end = indexAny(line, '=:');
  if (end < 0) throw new PkginfoError(`key-value delimiter not found: ${goText(line)}`);
  if (end === 0) throw new PkginfoError(`empty key name: ${goText(line)}`);
  return { name: trimSpace(line.slice(0, end)), offset: end + 1 };
}

function readMultilines(lines: Lines, line: string, value: string, quote: string): string {
  // Parts joined once at the end: go-ini's repeated string += would be quadratic here.
  const parts = [value];
  for (;;) {
    const next = lines.next();
    const pos = next.lastIndexOf(quote);
    if (pos >= 0) {
      parts.push(next.slice(0, pos));
      return parts.join('');
    }
    parts.push(next);
    if (lines.eof) throw new PkginfoError(`missing closing key quote from ${goQuote(line)} to ${goQuote(next)}`);
  }
}

/** Each following line, trimmed, is appended until one is empty or does not end in `\`. */
function readContinuationLines(lines: Lines, value: string): string {
  const parts = [value];
  for (;;) {
    const next = trimSpace(lines.next());
    if (next.length === 0) break;
    if (!next.endsWith('\\')) {
      parts.push(next);
      break;
    }
    parts.push(next.slice(0, -1));
  }
  return parts.join('');
}

function hasSurroundedQuote(s: string, quote: string): boolean {
  return s.length >= 2 && s.startsWith(quote) && s.endsWith(quote) && s.indexOf(quote, 1) === s.length - 1;
}

function readValue(lines: Lines, raw: string): string {
  let line = trimLeft(raw);
  if (line.length === 0) return '';
  let quote = '';
  if (line.length > 3 && line.startsWith('"""')) quote = '"""';
  else if (line.startsWith('`')) quote = '`';
  if (quote !== '') {
    const start = quote.length;
    const pos = line.lastIndexOf(quote);
    if (pos < start) return readMultilines(lines, line, line.slice(start), quote);
    return line.slice(start, pos);
  }
  line = trimSpace(line);
  if (line.endsWith('\\')) return readContinuationLines(lines, line.slice(0, -1));
  const comment = indexAny(line, '#;');
  if (comment >= 0) line = trimSpace(line.slice(0, comment));
  if (hasSurroundedQuote(line, "'") || hasSurroundedQuote(line, '"')) line = line.slice(1, -1);
  return line;
}

function stripBom(bytes: Buffer): Buffer {
  if (bytes.length >= 2 && ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe))) return bytes.subarray(2);
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3);
  return bytes;
}

/**
 * The default section's key/values, keys and values as Go's JSON encoder would write them.
 * Throws PkginfoError with go-ini's message. Linear in the input size.
 */
export function parsePkginfo(input: Uint8Array): Map<string, string> {
  const lines = new Lines(stripBom(Buffer.from(input.buffer, input.byteOffset, input.byteLength)).toString('latin1'));
  const sections = new Map<string, Map<string, string>>([[DEFAULT_SECTION, new Map()]]);
  let section = sections.get(DEFAULT_SECTION) as Map<string, string>;
  let autoIncrement = 1;
  while (!lines.eof) {
    const line = trimLeft(lines.next());
    if (line.length === 0 || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      const close = line.lastIndexOf(']');
      if (close < 0) throw new PkginfoError(`unclosed section: ${goText(line)}`);
      const name = line.slice(1, close);
      if (name.length === 0) throw new PkginfoError('empty section name');
      section = sections.get(name) ?? new Map();
      sections.set(name, section);
      autoIncrement = 1;
      continue;
    }
    const key = readKeyName(line);
    let name = key.name;
    if (name === '-') name = `#${autoIncrement++}`;
    const value = readValue(lines, line.slice(key.offset));
    if (name.length === 0) throw new PkginfoError('error creating new key: empty key name');
    section.set(name, value);
  }
  const result = new Map<string, string>();
  for (const [k, v] of sections.get(DEFAULT_SECTION) as Map<string, string>) {
    const key = goText(k);
    // Distinct byte keys can become one text key; Rekor's JSON would then hold a duplicate key,
    // which its canonicalizer refuses (a 500 there). Refuse it here as bad input.
    if (result.has(key)) throw new PkginfoError(`duplicate key after invalid UTF-8 replacement: ${key}`);
    result.set(key, goText(v));
  }
  return result;
}
