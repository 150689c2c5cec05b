/**
 * Checkpoints (c2sp.org/tlog-checkpoint; Rekor's signed tree heads): the text of a signed note
 * `<origin>\n<size>\n<base64 root>\n[<extension line>\n…]`.
 *
 * Parsing is strict on the three header lines (non-empty origin; size in decimal without sign or
 * leading zeros, < 2^64; standard base64 of a 32-byte hash) and keeps extension lines verbatim
 * (2023-era Rekor wrote `Timestamp: <ns>`); they must be non-empty. Every parse failure throws
 * NoteError('malformed') with the one message "malformed checkpoint".
 * Signing (`signCheckpoint`) validates its input and throws NoteError('invalid_input').
 */
import { decodeStdBase64, encodeStdBase64 } from './base64.js';
import { NoteError } from './errors.js';
import { isValidKeyName, parseSignedNote, serializeSignedNote, type NoteSignature, type SignedNote } from './note.js';

export interface Checkpoint {
  origin: string;
  size: bigint;
  rootHash: Uint8Array;
  /** Lines after the root hash, without their "\n". */
  extensions: string[];
}

export interface CheckpointInput {
  origin: string;
  size: bigint;
  rootHash: Uint8Array;
  extensions?: readonly string[];
}

/** Signs note text. Rekor's ECDSA signers sign SHA-256(text), DER-encoded. */
export interface NoteSigner {
  name: string;
  keyId: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

const MAX_SIZE = (1n << 64n) - 1n;
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;
const CONTROL = /[\u0000-\u001f]|\p{Surrogate}/u;
const encoder = new TextEncoder();

function malformed(): NoteError {
  return new NoteError('malformed', 'malformed checkpoint');
}

/** Parses the signed text of a checkpoint note (which ends with "\n"). */
export function parseCheckpointText(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw malformed();
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw malformed();
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0 || !DECIMAL.test(sizeText) || sizeText.length > 20) throw malformed();
  const size = BigInt(sizeText);
  if (size > MAX_SIZE) throw malformed();
  const rootHash = decodeStdBase64(rootText);
  if (rootHash === undefined || rootHash.length !== 32) throw malformed();
  if (extensions.some((line) => line.length === 0)) throw malformed();
  return { origin, size, rootHash, extensions };
}

/** Parses a whole signed checkpoint note without verifying it. */
export function parseCheckpoint(input: string | Uint8Array): { checkpoint: Checkpoint; note: SignedNote } {
  const note = parseSignedNote(input);
  return { checkpoint: parseCheckpointText(note.text), note };
}

function invalid(message: string): NoteError {
  return new NoteError('invalid_input', message);
}

/** The exact text a checkpoint signer signs. */
export function formatCheckpointText(cp: CheckpointInput): string {
  if (cp.origin.length === 0 || cp.origin.includes('\n') || CONTROL.test(cp.origin)) {
    throw invalid('checkpoint origin must be one non-empty line');
  }
  if (cp.size < 0n || cp.size > MAX_SIZE) throw invalid(`checkpoint size ${cp.size} out of range`);
  if (cp.rootHash.length !== 32) throw invalid(`root hash has ${cp.rootHash.length} bytes, want 32`);
  const extensions = cp.extensions ?? [];
  for (const line of extensions) {
    if (line.length === 0 || CONTROL.test(line)) throw invalid('checkpoint extension lines must be non-empty single lines');
  }
  const header = `${cp.origin}\n${cp.size.toString()}\n${encodeStdBase64(cp.rootHash)}\n`;
  return header + extensions.map((line) => `${line}\n`).join('');
}

/** Signs `text` with every signer, in order, and returns the serialized note. */
export function signNote(text: string, signers: NoteSigner | readonly NoteSigner[]): string {
  const list = Array.isArray(signers) ? (signers as readonly NoteSigner[]) : [signers as NoteSigner];
  if (list.length === 0) throw invalid('a note needs at least one signer');
  const message = encoder.encode(text);
  const signatures: NoteSignature[] = list.map((signer) => {
    if (!isValidKeyName(signer.name)) throw invalid(`invalid signer name ${JSON.stringify(signer.name)}`);
    if (signer.keyId.length !== 4) throw invalid(`signer key id has ${signer.keyId.length} bytes, want 4`);
    return { name: signer.name, keyId: signer.keyId, signature: signer.sign(message) };
  });
  return serializeSignedNote({ text, signatures });
}

/** Formats and signs a checkpoint: the full note string, ready to serve. */
export function signCheckpoint(cp: CheckpointInput, signers: NoteSigner | readonly NoteSigner[]): string {
  return signNote(formatCheckpointText(cp), signers);
}
