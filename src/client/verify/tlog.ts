/**
 * The transparency-log checks shared by v1 API entries and bundle entries, on normalized input:
 * trusted log by log ID → leaf hash (and UUID) → inclusion proof against its own root → checkpoint
 * signed by the log and committing to exactly that size and root → SET over the GLOBAL index →
 * required parts present → something signed by the log vouches for the entry.
 *
 * The order makes each broken entry fail on the part that is broken: cryptographic checks of what
 * is present run before "is it present" policy checks. No network, ever.
 */
import { toHex, verifySET } from '../../crypto/index.js';
import { hashLeaf, isMerkleError, verifyInclusion } from '../../merkle/index.js';
import type { Checkpoint } from '../../note/index.js';
import { verifyLogCheckpoint, type LogFlavour } from './checkpoint.js';
import { sameBytes } from './bytes.js';
import { VerificationError } from './errors.js';
import { findTrustedLogs, type TrustedLog, type TrustedLogs } from './trust.js';

export interface InclusionProofMaterial {
  /** Index inside the shard's tree (not the global index). */
  logIndex: bigint;
  treeSize: bigint;
  rootHash: Uint8Array;
  hashes: Uint8Array[];
  checkpoint?: string;
}

export interface TlogMaterial {
  body: Uint8Array;
  /** The base64 text of the body the SET covers (v1 API: exactly as served). */
  bodyBase64: string;
  /** Global index. */
  logIndex: bigint;
  logId: Uint8Array;
  integratedTime?: bigint;
  inclusionProof?: InclusionProofMaterial;
  signedEntryTimestamp?: Uint8Array;
  flavour: LogFlavour;
  /** From the entry UUID of a v1 API response, when there is one. */
  expectedLeafHash?: Uint8Array;
  kind?: string;
  apiVersion?: string;
}

export interface Requirements {
  inclusionProof?: boolean;
  checkpoint?: boolean;
  signedEntryTimestamp?: boolean;
}

/** What was verified for one entry. Everything present was verified, or verification threw. */
export interface TlogEntryVerification {
  logIndex: bigint;
  /** Lower-case hex. */
  logId: string;
  log: TrustedLog;
  /** Lower-case hex RFC 6962 leaf hash of the body (the UUID). */
  leafHash: string;
  integratedTime?: bigint;
  kind?: string;
  apiVersion?: string;
  checkpoint?: Checkpoint;
  verified: { entryUuid: boolean; inclusionProof: boolean; checkpoint: boolean; signedEntryTimestamp: boolean };
}

function trustedLogFor(m: TlogMaterial, trust: TrustedLogs): TrustedLog {
  const candidates = findTrustedLogs(trust, m.logId);
  if (candidates.length === 0) throw new VerificationError('NO_TRUSTED_LOG', `no trusted log has log ID ${toHex(m.logId)}`);
  // The SET authenticates integratedTime; only then can it select the key valid at that time.
  if (m.signedEntryTimestamp === undefined || m.integratedTime === undefined) return candidates[0] as TrustedLog;
  const time = new Date(Number(m.integratedTime) * 1000);
  const valid = Number.isNaN(time.getTime()) ? [] : findTrustedLogs(trust, m.logId, time);
  if (valid.length === 0) {
    const when = Number.isNaN(time.getTime()) ? `integrated time ${m.integratedTime}` : time.toISOString();
    throw new VerificationError('NO_TRUSTED_LOG', `the key of log ${toHex(m.logId)} was not valid at ${when}`);
  }
  return valid[0] as TrustedLog;
}

function checkInclusion(leafHash: Uint8Array, proof: InclusionProofMaterial): void {
  try {
    verifyInclusion(leafHash, proof.logIndex, proof.treeSize, proof.hashes, proof.rootHash);
  } catch (err) {
    if (!isMerkleError(err)) throw err;
    const where = `leaf ${proof.logIndex} of tree size ${proof.treeSize}`;
    throw new VerificationError('INCLUSION_PROOF_INVALID', `inclusion proof for ${where}: ${err.message}`, { cause: err });
  }
}

function checkCheckpoint(proof: InclusionProofMaterial, envelope: string, log: TrustedLog, flavour: LogFlavour): Checkpoint {
  const checkpoint = verifyLogCheckpoint(envelope, log, flavour);
  if (checkpoint.size !== proof.treeSize || !sameBytes(checkpoint.rootHash, proof.rootHash)) {
    throw new VerificationError(
      'CHECKPOINT_MISMATCH',
      `checkpoint is for size ${checkpoint.size} root ${toHex(checkpoint.rootHash)}, ` +
        `the inclusion proof for size ${proof.treeSize} root ${toHex(proof.rootHash)}`,
    );
  }
  return checkpoint;
}

function checkSET(m: TlogMaterial, set: Uint8Array, log: TrustedLog): void {
  const fields = { body: m.bodyBase64, integratedTime: m.integratedTime ?? 0n, logID: toHex(m.logId), logIndex: m.logIndex };
  if (!verifySET(log.publicKey, fields, set)) {
    throw new VerificationError('SET_INVALID', `signed entry timestamp for log index ${m.logIndex} does not verify`);
  }
}

function checkRequired(m: TlogMaterial, required: Requirements): void {
  const proof = m.inclusionProof;
  if (required.inclusionProof === true && proof === undefined) {
    throw new VerificationError('INCLUSION_PROOF_MISSING', 'the entry has no inclusion proof');
  }
  if (required.checkpoint === true && proof?.checkpoint === undefined) {
    throw new VerificationError('CHECKPOINT_MISSING', 'the inclusion proof has no checkpoint');
  }
  if (required.signedEntryTimestamp === true && m.signedEntryTimestamp === undefined) {
    throw new VerificationError('SET_MISSING', 'the entry has no signed entry timestamp');
  }
  if (proof?.checkpoint === undefined && m.signedEntryTimestamp === undefined) {
    throw new VerificationError('UNSIGNED_ENTRY', 'the entry carries neither a checkpoint nor a signed entry timestamp');
  }
}

/** Verifies one entry's log material against the trusted logs. Throws VerificationError. */
export function verifyTlogMaterial(m: TlogMaterial, trust: TrustedLogs, required: Requirements = {}): TlogEntryVerification {
  const log = trustedLogFor(m, trust);
  const leafHash = hashLeaf(m.body);
  if (m.expectedLeafHash !== undefined && !sameBytes(leafHash, m.expectedLeafHash)) {
    throw new VerificationError('BODY_HASH_MISMATCH', `leaf hash ${toHex(leafHash)} of the body is not the entry UUID ${toHex(m.expectedLeafHash)}`);
  }
  const proof = m.inclusionProof;
  if (proof !== undefined) checkInclusion(leafHash, proof);
  let checkpoint: Checkpoint | undefined;
  if (proof?.checkpoint !== undefined) checkpoint = checkCheckpoint(proof, proof.checkpoint, log, m.flavour);
  if (m.signedEntryTimestamp !== undefined) checkSET(m, m.signedEntryTimestamp, log);
  checkRequired(m, required);
  const result: TlogEntryVerification = {
    logIndex: m.logIndex,
    logId: toHex(m.logId),
    log,
    leafHash: toHex(leafHash),
    verified: {
      entryUuid: m.expectedLeafHash !== undefined,
      inclusionProof: proof !== undefined,
      checkpoint: checkpoint !== undefined,
      signedEntryTimestamp: m.signedEntryTimestamp !== undefined,
    },
  };
  if (m.integratedTime !== undefined) result.integratedTime = m.integratedTime;
  if (m.kind !== undefined) result.kind = m.kind;
  if (m.apiVersion !== undefined) result.apiVersion = m.apiVersion;
  if (checkpoint !== undefined) result.checkpoint = checkpoint;
  return result;
}
