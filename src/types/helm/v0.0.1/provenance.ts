/**
 * A Helm provenance file (`<chart>.tgz.prov`) as Rekor reads it (pkg/types/helm/provenance.go on
 * ProtonMail/go-crypto's clearsign.Decode): an OpenPGP clear-signed message whose text is the
 * chart's Chart.yaml, a `...` line, then a YAML "sum collection" whose `files` map gives the chart
 * digest as `<algorithm>:<hex>`. The clear-sign framing is decoded here by hand because the signed
 * bytes, and which inputs are refused, must be Go's: the signature is checked over Go's `Bytes`
 * (dash-unescaped lines, trailing blanks and tabs cut, joined by CRLF, no final line break), and
 * the YAML is read from Go's `Plaintext` (the same lines joined by LF). Throws
 * RekorError('invalid_entry') with Rekor's messages.
 */
import { parseDocument } from 'yaml';
import { decodeArmor } from '../../../pki/pgp/index.js';
import { invalidEntry } from '../../go-decode.js';

/**
 * Rekor has no provenance limit of its own (only the request size); a chart's provenance is a
 * Chart.yaml plus one digest line, so 1 MiB is generous and bounds the YAML parser's work.
 */
export const MAX_PROVENANCE_SIZE = 1 << 20;

export interface Provenance {
  /** Go's Block.Bytes: what the clear-signature signs. */
  readonly signedBytes: Uint8Array;
  /** The binary signature packets from the armored block. */
  readonly signature: Uint8Array;
  /** The `files` map in document order, or undefined when the YAML has none. */
  readonly files: ReadonlyArray<readonly [string, string]> | undefined;
}

const START = Buffer.from('-----BEGIN PGP SIGNED MESSAGE-----');
const END_TEXT = Buffer.from('-----BEGIN PGP SIGNATURE-----');
const END = Buffer.from('\n-----END PGP SIGNATURE-----');
const HASH_VALUES = new Set(['MD5', 'SHA1', 'RIPEMD160', 'SHA224', 'SHA256', 'SHA384', 'SHA512', 'SHA3-256', 'SHA3-512']);
const MESSAGE_BLOCK_SEPARATOR = '\n...\n';
/** What Go's strings.TrimSpace removes entirely (unicode.IsSpace); JS trim() also strips U+FEFF. */
const GO_BLANK = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/u;

/** Go's getLine: up to the next LF (a CR before it dropped) and the rest after it. */
function getLine(data: Buffer): [Buffer, Buffer] {
  const i = data.indexOf(0x0a);
  if (i < 0) return [data, data.subarray(data.length)];
  const lineEnd = i > 0 && data[i - 1] === 0x0d ? i - 1 : i;
  return [data.subarray(0, lineEnd), data.subarray(i + 1)];
}

function trimRightBlanks(line: Buffer): Buffer {
  let end = line.length;
  while (end > 0 && (line[end - 1] === 0x20 || line[end - 1] === 0x09)) end--;
  return line.subarray(0, end);
}

/** The header lines: only `Hash: <known digest>[, …]` is allowed, in printable ASCII. */
function headersValid(line: Buffer): boolean {
  if (line.some((byte) => byte < 0x20 || byte > 0x7e)) return false;
  const text = line.toString('latin1');
  const colon = text.indexOf(':');
  if (colon < 0 || text.slice(0, colon).trim() !== 'Hash') return false;
  return text
    .slice(colon + 1)
    .split(',')
    .every((value) => HASH_VALUES.has(value.trim().toUpperCase()));
}

interface ClearSigned {
  readonly bytes: Buffer;
  readonly plaintext: string;
  readonly signature: Uint8Array;
}

/** clearsign.Decode; undefined wherever Go returns a nil block. */
function decodeClearSigned(data: Buffer): ClearSigned | undefined {
  let rest: Buffer;
  if (data.subarray(0, START.length).equals(START)) rest = data.subarray(START.length);
  else {
    const i = data.indexOf(Buffer.concat([Buffer.from('\n'), START]));
    if (i < 0) return undefined;
    rest = data.subarray(i + 1 + START.length);
  }
  let line: Buffer;
  [line, rest] = getLine(rest);
  if (line.length !== 0) return undefined;
  for (;;) {
    if (rest.length === 0) return undefined;
    [line, rest] = getLine(rest);
    if (GO_BLANK.test(line.toString('utf8'))) break;
    if (!headersValid(line)) return undefined;
  }
  const lines: Buffer[] = [];
  for (;;) {
    const lineStart = rest;
    [line, rest] = getLine(rest);
    if (line.length === 0 && rest.length === 0) return undefined;
    if (line.equals(END_TEXT)) {
      rest = lineStart;
      break;
    }
    if (line[0] === 0x2d && line[1] === 0x20) line = line.subarray(2);
    lines.push(trimRightBlanks(line));
  }
  // Go slices one byte off an empty Plaintext here and panics; refusing is the useful answer.
  if (lines.length === 0) return undefined;
  const endAt = rest.indexOf(END);
  if (endAt < 0) return undefined;
  const block = decodeArmor(rest.subarray(0, endAt + END.length).toString('latin1'));
  if (block === undefined) return undefined;
  return {
    bytes: Buffer.concat(lines.flatMap((l, i) => (i === 0 ? [l] : [Buffer.from('\r\n'), l]))),
    plaintext: Buffer.concat(lines.flatMap((l, i) => (i === 0 ? [l] : [Buffer.from('\n'), l]))).toString('utf8'),
    signature: block.body,
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map);
}

function jsonTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'bigint' ? 'number' : typeof value;
}

function sumCollectionError(detail: string): Error {
  return invalidEntry(`error occurred parsing message block: error occurred parsing SumCollection: ${detail}`);
}

/**
 * A `map[string]string` member of the sum collection as encoding/json fills it: keys match the
 * field name case-insensitively, several matching keys merge, null clears the map, null values
 * become empty strings, and any other non-string value is an error.
 */
function stringMap(doc: Record<string, unknown>, field: string): Array<[string, string]> | undefined {
  let out: Map<string, string> | undefined;
  for (const [key, value] of Object.entries(doc)) {
    if (key.toLowerCase() !== field) continue;
    if (value === null) {
      out = undefined;
      continue;
    }
    if (!isPlainObject(value)) {
      throw sumCollectionError(`json: cannot unmarshal ${jsonTypeName(value)} into Go struct field SumCollection.${field} of type map[string]string`);
    }
    out ??= new Map();
    for (const [name, entry] of Object.entries(value)) {
      if (entry !== null && typeof entry !== 'string') {
        throw sumCollectionError(`json: cannot unmarshal ${jsonTypeName(entry)} into Go struct field SumCollection.${field} of type string`);
      }
      out.set(name, entry ?? '');
    }
  }
  return out === undefined ? undefined : [...out];
}

/** The YAML after the first `...` line, read as sigs.k8s.io/yaml reads it (YAML 1.1). */
function parseSumCollection(plaintext: string): Provenance['files'] {
  const parts = plaintext.split(MESSAGE_BLOCK_SEPARATOR);
  if (parts.length < 2) throw invalidEntry('error occurred parsing message block: message block must have at least two parts');
  // As in Go's yaml.v2: a repeated key overrides, and timestamps stay strings.
  const doc = parseDocument(parts[1] as string, {
    version: '1.1',
    uniqueKeys: false,
    prettyErrors: false,
    customTags: (tags) => tags.filter((tag) => typeof tag === 'string' || tag.tag !== 'tag:yaml.org,2002:timestamp'),
  });
  if (doc.errors.length > 0) throw sumCollectionError(`error converting YAML to JSON: ${doc.errors[0]?.message ?? 'invalid YAML'}`);
  let value: unknown;
  try {
    // The alias budget stops "billion laughs" documents from expanding.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw sumCollectionError(`error converting YAML to JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (value === null || value === undefined) return undefined;
  if (!isPlainObject(value)) throw sumCollectionError(`json: cannot unmarshal ${jsonTypeName(value)} into Go value of type helm.SumCollection`);
  stringMap(value, 'images');
  return stringMap(value, 'files');
}

/** Provenance.Unmarshal: decode the clear-signed message and read its sum collection. */
export function parseProvenance(content: Uint8Array): Provenance {
  if (content.length === 0) throw invalidEntry('provenance file contains no content');
  if (content.length > MAX_PROVENANCE_SIZE) throw invalidEntry(`provenance file is larger than ${MAX_PROVENANCE_SIZE} bytes`);
  const block = decodeClearSigned(Buffer.from(content.buffer, content.byteOffset, content.byteLength));
  if (block === undefined) throw invalidEntry('unable to decode provenance file');
  return { signedBytes: new Uint8Array(block.bytes), signature: block.signature, files: parseSumCollection(block.plaintext) };
}

/**
 * GetChartAlgorithmHash. Go takes the first entry of a Go map (random order when there are
 * several files; Helm writes one); this takes the first in document order.
 */
export function chartHash(provenance: Provenance): { algorithm: string; value: string } {
  if (provenance.files === undefined) throw invalidEntry('unable to locate chart hash');
  const first = provenance.files[0];
  if (first === undefined) throw invalidEntry('no checksums found');
  const parts = first[1].split(':');
  if (parts.length !== 2) throw invalidEntry('invalid hash found in Provenance file');
  return { algorithm: parts[0] as string, value: parts[1] as string };
}
