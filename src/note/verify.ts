/**
 * Verifying signed notes and checkpoints against keys the caller trusts.
 *
 * Default (C2SP) rule: a signature line counts only when BOTH its name and its key ID match a
 * verifier; other lines (witnesses we do not know, a second key under the log's name, a foreign
 * name with the log's hint) are skipped. At least one line must match, and every matching line
 * must verify. The stricter `rekor-v1` mode mirrors Rekor v1's own verifier: every line's key
 * hint must be a trusted one (names are not compared) and every line must verify.
 *
 * Log signatures: ECDSA and RSA (PKCS#1 v1.5) over SHA-256 of the text whatever the curve (what
 * Rekor and sigstore-js do); Ed25519 pure. Throws NoteError with codes `malformed`,
 * `no_matching_signature`, `bad_signature`.
 */
import { verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { parseCheckpointText, type Checkpoint } from './checkpoint.js';
import { NoteError } from './errors.js';
import { cosignatureKeyId, noteKeyId, rawEd25519, type KeyIdStyle } from './keyid.js';
import { parseSignedNote, type NoteSignature, type SignedNote } from './note.js';

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: Uint8Array;
  /** `signature` is the blob after the 4-byte key ID. Never throws. */
  verify(text: Uint8Array, signature: Uint8Array): boolean;
}

export type SignatureHash = 'sha256' | 'sha384' | 'sha512';

export interface VerifyNoteOptions {
  /** 'c2sp' (default): match name and key ID, skip the rest. 'rekor-v1': every line must match and verify. */
  mode?: 'c2sp' | 'rekor-v1';
}

export interface VerifiedNote {
  note: SignedNote;
  /** The lines that matched a verifier and verified, in note order. */
  verified: NoteSignature[];
}

const encoder = new TextEncoder();

/**
 * Verifies a log signature the way Rekor's signers make them. `hash` applies to ECDSA and RSA
 * (default SHA-256, whatever the curve); Ed25519 is always pure. Returns false on any failure.
 */
export function verifyLogSignature(
  publicKey: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
  hash: SignatureHash = 'sha256',
): boolean {
  try {
    const algorithm = publicKey.asymmetricKeyType === 'ed25519' ? null : hash;
    return cryptoVerify(algorithm, data, publicKey, signature);
  } catch {
    return false;
  }
}

/** A verifier for a log key. The key ID defaults to the C2SP rule (for ECDSA equal to Rekor v1's hint). */
export function keyVerifier(options: {
  name: string;
  publicKey: KeyObject;
  keyId?: Uint8Array;
  keyIdStyle?: KeyIdStyle;
  hash?: SignatureHash;
}): NoteVerifier {
  const { name, publicKey, hash } = options;
  const keyId = options.keyId ?? noteKeyId(publicKey, name, options.keyIdStyle ?? 'c2sp');
  return {
    name,
    keyId,
    verify: (text, signature) => verifyLogSignature(publicKey, text, signature, hash),
  };
}

/** The timestamp of a tlog-cosignature/v1 line (8 big-endian bytes before the Ed25519 signature). */
export function cosignatureTimestamp(signature: Uint8Array): bigint | undefined {
  if (signature.length !== 8 + 64) return undefined;
  return new DataView(signature.buffer, signature.byteOffset, 8).getBigUint64(0);
}

/** A verifier for a witness's Ed25519 tlog-cosignature/v1 over the note text. */
export function cosignatureVerifier(options: { name: string; publicKey: KeyObject }): NoteVerifier {
  const { name, publicKey } = options;
  const keyId = cosignatureKeyId(name, rawEd25519(publicKey));
  return {
    name,
    keyId,
    verify(text, signature) {
      const timestamp = cosignatureTimestamp(signature);
      if (timestamp === undefined) return false;
      const header = encoder.encode(`cosignature/v1\ntime ${timestamp.toString()}\n`);
      const message = new Uint8Array(header.length + text.length);
      message.set(header, 0);
      message.set(text, header.length);
      return verifyLogSignature(publicKey, message, signature.subarray(8));
    },
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function findVerifier(sig: NoteSignature, verifiers: readonly NoteVerifier[], mode: 'c2sp' | 'rekor-v1') {
  return verifiers.find((v) => sameBytes(v.keyId, sig.keyId) && (mode === 'rekor-v1' || v.name === sig.name));
}

/** Verifies a parsed note. Throws NoteError('no_matching_signature' | 'bad_signature'). */
export function verifyNote(note: SignedNote, verifiers: readonly NoteVerifier[], options: VerifyNoteOptions = {}): VerifiedNote {
  const mode = options.mode ?? 'c2sp';
  const text = encoder.encode(note.text);
  const verified: NoteSignature[] = [];
  note.signatures.forEach((sig, i) => {
    const line = `signature line ${i + 1} (${sig.name}, key id ${hex(sig.keyId)})`;
    const verifier = findVerifier(sig, verifiers, mode);
    if (verifier === undefined) {
      if (mode === 'rekor-v1') throw new NoteError('no_matching_signature', `${line} is not by a trusted key`);
      return;
    }
    if (!verifier.verify(text, sig.signature)) throw new NoteError('bad_signature', `${line} does not verify`);
    verified.push(sig);
  });
  if (verified.length === 0) {
    throw new NoteError('no_matching_signature', 'no signature line matches a trusted key name and key id');
  }
  return { note, verified };
}

/** Parses and verifies a signed checkpoint note; returns the checkpoint and the lines that verified. */
export function verifyCheckpoint(
  input: string | Uint8Array,
  verifiers: readonly NoteVerifier[],
  options: VerifyNoteOptions = {},
): VerifiedNote & { checkpoint: Checkpoint } {
  const note = parseSignedNote(input);
  // Parse before verifying so a malformed body is reported as such, whatever its signatures.
  const checkpoint = parseCheckpointText(note.text);
  return { ...verifyNote(note, verifiers, options), checkpoint };
}
