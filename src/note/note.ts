/**
 * Signed notes (c2sp.org/signed-note, golang.org/x/mod/sumdb/note): a text ending in "\n", a
 * blank line, then one or more lines `— <name> <base64(keyId[4] || signature)>\n`.
 *
 * Contract: `parseSignedNote` accepts exactly what the reference parsers accept (split at the
 * LAST "\n\n", final newline required, at least one signature, every line well formed) and
 * throws NoteError('malformed') with the same short message for anything else. It does not
 * verify; see verify.ts. `serializeSignedNote(parseSignedNote(x)) === x` for every accepted x.
 */
import { decodeStdBase64, encodeStdBase64 } from './base64.js';
import { NoteError } from './errors.js';

export const EM_DASH = '\u2014';

/** Lines are allowed up to this count; C2SP asks for at least 16, Go's note package allows 100. */
export const MAX_NOTE_SIGNATURES = 100;

export interface NoteSignature {
  /** Key name as written on the line. */
  name: string;
  /** The first four bytes of the decoded blob: Rekor v1 key hint or C2SP key ID. */
  keyId: Uint8Array;
  /** The rest of the blob (for a tlog-cosignature: 8-byte timestamp || Ed25519 signature). */
  signature: Uint8Array;
}

export interface SignedNote {
  /** The signed text, including its final "\n", excluding the blank separator line. */
  text: string;
  signatures: NoteSignature[];
}

const MALFORMED = 'malformed checkpoint';
// ASCII controls other than "\n" are banned by C2SP; lone UTF-16 surrogates cannot be UTF-8.
const FORBIDDEN_CHARS = /[\u0000-\u0009\u000b-\u001f]|\p{Surrogate}/u;
// Unicode white space (JS \s covers the Zs category, tabs and line breaks) or "+".
const BAD_NAME_CHARS = /[\s+]/u;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function malformed(cause?: unknown): NoteError {
  return new NoteError('malformed', MALFORMED, cause === undefined ? undefined : { cause });
}

/** True when `name` may appear as a key name on a signature line. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !BAD_NAME_CHARS.test(name) && !FORBIDDEN_CHARS.test(name);
}

function decodeInput(input: string | Uint8Array): string {
  if (typeof input === 'string') return input;
  try {
    return utf8.decode(input);
  } catch (err) {
    throw malformed(err);
  }
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(`${EM_DASH} `)) throw malformed();
  const fields = line.slice(2).split(' ');
  if (fields.length !== 2) throw malformed();
  const [name, blob] = fields as [string, string];
  if (!isValidKeyName(name)) throw malformed();
  const bytes = decodeStdBase64(blob);
  if (bytes === undefined || bytes.length < 5) throw malformed();
  return { name, keyId: bytes.slice(0, 4), signature: bytes.slice(4) };
}

/** Splits a signed note into its text and signature lines. Throws NoteError('malformed'). */
export function parseSignedNote(input: string | Uint8Array): SignedNote {
  const note = decodeInput(input);
  if (FORBIDDEN_CHARS.test(note)) throw malformed();
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw malformed();
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) throw malformed();
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw malformed();
  return { text, signatures: lines.map(parseSignatureLine) };
}

export function formatSignatureLine(sig: NoteSignature): string {
  if (!isValidKeyName(sig.name)) throw new NoteError('invalid_input', `invalid key name ${JSON.stringify(sig.name)}`);
  if (sig.keyId.length !== 4) throw new NoteError('invalid_input', `key id has ${sig.keyId.length} bytes, want 4`);
  const blob = new Uint8Array(4 + sig.signature.length);
  blob.set(sig.keyId, 0);
  blob.set(sig.signature, 4);
  return `${EM_DASH} ${sig.name} ${encodeStdBase64(blob)}\n`;
}

/** The wire form: text, blank line, signature lines. */
export function serializeSignedNote(note: SignedNote): string {
  if (!note.text.endsWith('\n')) throw new NoteError('invalid_input', 'note text must end with a newline');
  if (FORBIDDEN_CHARS.test(note.text)) throw new NoteError('invalid_input', 'note text has control characters');
  if (note.signatures.length === 0) throw new NoteError('invalid_input', 'a note needs at least one signature');
  return `${note.text}\n${note.signatures.map(formatSignatureLine).join('')}`;
}
