/**
 * JAR manifests and signature files (MANIFEST.MF, *.SF) as relic's lib/signjar reads them, since
 * Rekor accepts or refuses a JAR by that code: sections split at the first blank line (CRLF CRLF
 * preferred wherever it occurs, else LF LF), continuation lines joined, `Key: value` pairs with
 * keys in Go's canonical MIME form and the last value winning, a missing final blank line or an
 * empty section making the file "malformed". Bytes are handled as latin1 strings so names match
 * zip entry names byte for byte. Linear in the input; errors are RekorError('invalid_entry').
 */
import { invalidEntry } from '../go-decode.js';

export const ERR_LINE_ENDINGS = 'manifest has incorrect line ending sequence';

/** A section's attributes, in first-seen key order (Go's http.Header). */
export type Section = Map<string, string>;

export interface Manifest {
  readonly main: Section;
  /** Named sections by `Name`, in file order (a repeated name keeps the last section). */
  readonly files: Map<string, Section>;
}

/**
 * splitManifest: the raw sections (each with its terminating blank line) and whether malformed.
 * relic searches CRLF CRLF before LF LF from each section start; caching the next CRLF CRLF
 * keeps that linear (every search only moves forward).
 */
export function splitManifest(text: string): { sections: string[]; malformed: boolean } {
  const sections: string[] = [];
  let malformed = false;
  let pos = 0;
  let nextCrlf = text.indexOf('\r\n\r\n');
  while (pos < text.length) {
    if (nextCrlf >= 0 && nextCrlf < pos) nextCrlf = text.indexOf('\r\n\r\n', pos);
    let end: number;
    if (nextCrlf >= 0) end = nextCrlf + 4;
    else {
      const lf = text.indexOf('\n\n', pos);
      if (lf >= 0) end = lf + 2;
      else {
        end = text.length;
        malformed = true;
      }
    }
    const section = text.slice(pos, end);
    pos = end;
    if (trimSpace(section).length === 0) {
      malformed = true;
      continue;
    }
    sections.push(section);
  }
  return { sections, malformed };
}

function isSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

// ASCII white space as Go's TrimSpace sees it in these (ASCII) files; a loop, not a regex, so
// long runs of blanks cost linear time.
function trimSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isSpace(s.charCodeAt(start))) start++;
  while (end > start && isSpace(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]*$/u;

/** textproto.CanonicalMIMEHeaderKey: `sha-256-digest` → `Sha-256-Digest`; keys with non-token bytes unchanged. */
export function canonicalKey(key: string): string {
  if (!TOKEN.test(key)) return key;
  let out = '';
  let upper = true;
  for (const c of key) {
    out += upper ? c.toUpperCase() : c.toLowerCase();
    upper = c === '-';
  }
  return out;
}

export function parseSection(section: string): Section {
  const joined = section.replaceAll('\r\n', '\n').replaceAll('\n ', '');
  const header: Section = new Map();
  for (const line of joined.split('\n')) {
    if (line.length === 0) continue;
    const colon = line.indexOf(':');
    if (colon < 0) throw invalidEntry('jar manifest is malformed');
    const key = canonicalKey(trimSpace(line.slice(0, colon)));
    // http.Header.Set replaces the value but the key keeps its first position.
    header.set(key, trimSpace(line.slice(colon + 1)));
  }
  return header;
}

export function parseManifest(text: string): Manifest {
  const { sections, malformed } = splitManifest(text);
  if (sections.length === 0) throw invalidEntry('manifest has no sections');
  let main: Section | undefined;
  const files = new Map<string, Section>();
  sections.forEach((section, i) => {
    const header = parseSection(section);
    if (i === 0) {
      main = header;
      return;
    }
    const name = header.get('Name') ?? '';
    if (name === '') throw invalidEntry('manifest has section with no "Name" attribute');
    files.set(name, header);
  });
  if (malformed) throw invalidEntry(ERR_LINE_ENDINGS);
  return { main: main ?? new Map(), files };
}
