/**
 * A checkpoint as evidence for one trusted log. A signature line is by the log when its key ID is
 * one of the log's checkpoint key IDs AND its name is the log's: for Rekor v1 the trusted root's
 * baseUrl host contains the name (the sigstore-js rule; the name is the server hostname and the
 * origin is `<hostname> - <treeID>`); for Rekor v2 the name and the origin both equal the log's
 * name. Lines by anyone else (witnesses, other keys) are skipped; at least one line must be by
 * the log and every such line must verify.
 *
 * Throws VerificationError: CHECKPOINT_MALFORMED (does not parse), CHECKPOINT_INVALID.
 */
import {
  isNoteError,
  keyVerifier,
  parseCheckpointText,
  parseSignedNote,
  verifyNote,
  type Checkpoint,
  type NoteVerifier,
  type SignedNote,
} from '../../note/index.js';
import { sameBytes } from './bytes.js';
import { VerificationError } from './errors.js';
import type { TrustedLog } from './trust.js';

/** v1: Rekor's REST log (hostname name, `host - treeID` origin); v2: tiles log (origin = name). */
export type LogFlavour = 'v1' | 'v2';

function nameMatches(log: TrustedLog, name: string, flavour: LogFlavour): boolean {
  if (log.name === undefined) return true;
  if (flavour === 'v2' || log.nameMatch === 'exact') return name === log.name;
  return log.name.includes(name);
}

function verifiersFor(note: SignedNote, log: TrustedLog, flavour: LogFlavour): NoteVerifier[] {
  const verifiers: NoteVerifier[] = [];
  for (const sig of note.signatures) {
    if (!nameMatches(log, sig.name, flavour)) continue;
    if (!log.checkpointKeyIds.some((id) => sameBytes(id, sig.keyId))) continue;
    if (verifiers.some((v) => v.name === sig.name && sameBytes(v.keyId, sig.keyId))) continue;
    verifiers.push(keyVerifier({ name: sig.name, keyId: sig.keyId, publicKey: log.publicKey }));
  }
  return verifiers;
}

function parse(envelope: string): { note: SignedNote; checkpoint: Checkpoint } {
  try {
    const note = parseSignedNote(envelope);
    return { note, checkpoint: parseCheckpointText(note.text) };
  } catch (err) {
    if (isNoteError(err)) throw new VerificationError('CHECKPOINT_MALFORMED', 'malformed checkpoint', { cause: err });
    throw err;
  }
}

function checkOrigin(checkpoint: Checkpoint, log: TrustedLog, flavour: LogFlavour, signerNames: string[]): void {
  const { origin } = checkpoint;
  if (log.origin !== undefined && origin !== log.origin) {
    throw new VerificationError('CHECKPOINT_INVALID', `checkpoint origin "${origin}" is not the log's origin "${log.origin}"`);
  }
  if (flavour === 'v2' && !signerNames.includes(origin)) {
    throw new VerificationError('CHECKPOINT_INVALID', `checkpoint origin "${origin}" is not the name of its log signature`);
  }
}

/** Parses and verifies `envelope` as a checkpoint of `log`; returns the verified checkpoint. */
export function verifyLogCheckpoint(envelope: string, log: TrustedLog, flavour: LogFlavour): Checkpoint {
  const { note, checkpoint } = parse(envelope);
  let verifiedNames: string[];
  try {
    verifiedNames = verifyNote(note, verifiersFor(note, log, flavour)).verified.map((sig) => sig.name);
  } catch (err) {
    if (!isNoteError(err)) throw err;
    const message = err.code === 'no_matching_signature'
      ? `checkpoint has no signature by the log ${log.name ?? log.baseUrl ?? ''}`.trimEnd()
      : `checkpoint ${err.message}`;
    throw new VerificationError('CHECKPOINT_INVALID', message, { cause: err });
  }
  checkOrigin(checkpoint, log, flavour, verifiedNames);
  return checkpoint;
}
