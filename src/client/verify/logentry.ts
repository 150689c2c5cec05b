/**
 * Offline verification of a Rekor v1 REST LogEntry: the `{ "<entryUUID>": {...} }` object the API
 * returns, or its inner value. Checks the UUID suffix against the leaf hash of the decoded body,
 * the inclusion proof with the SHARD-LOCAL `inclusionProof.logIndex`, the checkpoint against the
 * log key and the proof's size and root, and the SET over the GLOBAL `logIndex`.
 *
 * An entry verifies what it carries: early responses have only a SET, some only a proof with a
 * checkpoint. Pass `require` to insist on parts. At least one of checkpoint or SET must be there.
 */
import { parseHex } from '../../crypto/index.js';
import {
  isObject,
  malformed,
  parseJson,
  readHex,
  readIndex,
  readObject,
  readStdBase64,
  readString,
  type JsonObject,
} from './fields.js';
import { verifyTlogMaterial, type InclusionProofMaterial, type Requirements, type TlogEntryVerification, type TlogMaterial } from './tlog.js';
import { loadTrust, type TrustInput } from './trust.js';

export interface VerifyLogEntryOptions {
  require?: Requirements;
}

const UUID = /^(?:[0-9a-fA-F]{16})?[0-9a-fA-F]{64}$/;

function unwrap(entry: unknown): { uuid?: string; value: JsonObject } {
  const parsed = typeof entry === 'string' ? parseJson(entry, 'log entry') : entry;
  if (!isObject(parsed)) throw malformed('log entry must be a JSON object');
  if ('body' in parsed) return { value: parsed };
  const keys = Object.keys(parsed);
  if (keys.length !== 1) throw malformed(`log entry must have exactly one entry UUID key, found ${keys.length}`);
  const uuid = keys[0] as string;
  return { uuid, value: readObject(parsed[uuid], `log entry ${uuid}`) };
}

function readProof(value: unknown): InclusionProofMaterial {
  const proof = readObject(value, 'verification.inclusionProof');
  const hashes = proof['hashes'] ?? [];
  if (!Array.isArray(hashes)) throw malformed('verification.inclusionProof.hashes must be an array');
  const material: InclusionProofMaterial = {
    logIndex: readIndex(proof['logIndex'], 'verification.inclusionProof.logIndex'),
    treeSize: readIndex(proof['treeSize'], 'verification.inclusionProof.treeSize'),
    rootHash: readHex(proof['rootHash'], 'verification.inclusionProof.rootHash', 32),
    hashes: hashes.map((hash, i) => readHex(hash, `verification.inclusionProof.hashes[${i}]`, 32)),
  };
  if (proof['checkpoint'] !== undefined) material.checkpoint = readString(proof['checkpoint'], 'verification.inclusionProof.checkpoint');
  return material;
}

function readBodyKind(body: Uint8Array): { kind?: string; apiVersion?: string } {
  const parsed = parseJson(new TextDecoder().decode(body), 'entry body');
  if (!isObject(parsed)) throw malformed('entry body must be a JSON object');
  const result: { kind?: string; apiVersion?: string } = {};
  if (typeof parsed['kind'] === 'string') result.kind = parsed['kind'];
  if (typeof parsed['apiVersion'] === 'string') result.apiVersion = parsed['apiVersion'];
  return result;
}

/** Normalizes a v1 API LogEntry into TlogMaterial. Throws VerificationError('MALFORMED'). */
export function logEntryMaterial(entry: unknown): TlogMaterial {
  const { uuid, value } = unwrap(entry);
  const bodyBase64 = readString(value['body'], 'body');
  const body = readStdBase64(bodyBase64, 'body');
  const material: TlogMaterial = {
    body,
    bodyBase64,
    logIndex: readIndex(value['logIndex'], 'logIndex'),
    logId: readHex(value['logID'], 'logID', 32),
    integratedTime: readIndex(value['integratedTime'], 'integratedTime'),
    flavour: 'v1',
    ...readBodyKind(body),
  };
  if (uuid !== undefined) {
    if (!UUID.test(uuid)) throw malformed('entry UUID must be 64 or 80 hex digits');
    material.expectedLeafHash = parseHex(uuid.slice(-64)) as Uint8Array;
  }
  const verification = value['verification'];
  if (verification !== undefined) {
    const v = readObject(verification, 'verification');
    if (v['inclusionProof'] !== undefined) material.inclusionProof = readProof(v['inclusionProof']);
    const set = v['signedEntryTimestamp'];
    if (set !== undefined) material.signedEntryTimestamp = readStdBase64(set, 'verification.signedEntryTimestamp');
  }
  return material;
}

/**
 * Verifies a Rekor v1 API LogEntry offline against trusted logs. Throws VerificationError;
 * returns what was present and verified.
 */
export function verifyLogEntry(entry: unknown, trust: TrustInput, options: VerifyLogEntryOptions = {}): TlogEntryVerification {
  const material = logEntryMaterial(entry);
  return verifyTlogMaterial(material, loadTrust(trust), options.require ?? {});
}
