/**
 * Signed notes and checkpoints: parsing, formatting, signing and verification, with Rekor v1 key
 * hints, C2SP key IDs and witness cosignatures. Pure apart from node:crypto hashing and
 * signature checks; no I/O.
 */
export { NoteError, isNoteError, type NoteErrorCode } from './errors.js';
export { decodeStdBase64, encodeStdBase64 } from './base64.js';
export {
  EM_DASH,
  MAX_NOTE_SIGNATURES,
  formatSignatureLine,
  isValidKeyName,
  parseSignedNote,
  serializeSignedNote,
  type NoteSignature,
  type SignedNote,
} from './note.js';
export {
  formatCheckpointText,
  parseCheckpoint,
  parseCheckpointText,
  signCheckpoint,
  signNote,
  type Checkpoint,
  type CheckpointInput,
  type NoteSigner,
} from './checkpoint.js';
export {
  cosignatureKeyId,
  ed25519NoteHash,
  noteKeyHash,
  noteKeyId,
  rawEd25519,
  rekorKeyHint,
  rsaNoteHash,
  sha256,
  spkiOf,
  type KeyIdStyle,
} from './keyid.js';
export {
  cosignatureTimestamp,
  cosignatureVerifier,
  keyVerifier,
  verifyCheckpoint,
  verifyLogSignature,
  verifyNote,
  type NoteVerifier,
  type SignatureHash,
  type VerifiedNote,
  type VerifyNoteOptions,
} from './verify.js';
