/**
 * Offline verification of the transparency-log part of a Sigstore bundle (v0.1–v0.3, protobuf
 * JSON: bytes base64, int64 as strings), including Rekor v2 entries (hashedrekord/dsse 0.0.2:
 * C2SP checkpoint, no SET). Per tlog entry: log index not negative (checked before any crypto),
 * body kind/apiVersion equal to kindVersion, then leaf, inclusion, checkpoint and SET (tlog.ts),
 * then what the bundle version requires: v0.1 a SET; v0.2+ and every Rekor v2 entry an inclusion
 * proof with a checkpoint.
 *
 * Out of scope here (a later layer): the artifact signature, the certificate chain and identity
 * policy, RFC 3161 timestamps, and the body-vs-bundle content comparison (signature and digest
 * in the body equal to the bundle's). Passing verifyBundle says the entry is in the log, not that
 * the artifact is authentic.
 */
import { encodeStdBase64 } from '../../note/index.js';
import { VerificationError } from './errors.js';
import {
  isObject,
  malformed,
  parseJson,
  readIndex,
  readObject,
  readProtoBytes,
  readProtoIndex,
  readString,
  type JsonObject,
} from './fields.js';
import { verifyTlogMaterial, type InclusionProofMaterial, type Requirements, type TlogEntryVerification, type TlogMaterial } from './tlog.js';
import { loadTrust, type TrustInput } from './trust.js';

export type BundleVersion = '0.1' | '0.2' | '0.3';

export interface BundleVerification {
  mediaType: string;
  bundleVersion: BundleVersion;
  tlogEntries: TlogEntryVerification[];
}

const MEDIA_TYPE = /^application\/vnd\.dev\.sigstore\.bundle(?:\+json;version=(0\.[123])|\.v(0\.3)\+json)$/;
/** Rekor v2 (tiles) entry kinds; everything else comes from a Rekor v1 log. */
const V2_KINDS = new Set(['hashedrekord/0.0.2', 'dsse/0.0.2']);

function bundleVersionOf(mediaType: string): BundleVersion {
  const match = MEDIA_TYPE.exec(mediaType);
  if (match === null) throw malformed(`unsupported bundle media type "${mediaType}"`);
  return (match[1] ?? match[2]) as BundleVersion;
}

function readProof(value: unknown, at: string): InclusionProofMaterial {
  const proof = readObject(value, `${at}.inclusionProof`);
  const hashes = proof['hashes'] ?? [];
  if (!Array.isArray(hashes)) throw malformed(`${at}.inclusionProof.hashes must be an array`);
  const material: InclusionProofMaterial = {
    logIndex: readProtoIndex(proof['logIndex'], `${at}.inclusionProof.logIndex`),
    treeSize: readProtoIndex(proof['treeSize'], `${at}.inclusionProof.treeSize`),
    rootHash: readProtoBytes(proof['rootHash'] ?? '', `${at}.inclusionProof.rootHash`),
    hashes: hashes.map((hash, i) => readProtoBytes(hash, `${at}.inclusionProof.hashes[${i}]`)),
  };
  const checkpoint = proof['checkpoint'];
  if (checkpoint !== undefined && checkpoint !== null) {
    material.checkpoint = readString(readObject(checkpoint, `${at}.inclusionProof.checkpoint`)['envelope'], `${at}.inclusionProof.checkpoint.envelope`);
  }
  return material;
}

function checkKindVersion(body: Uint8Array, kind: string, version: string, at: string): void {
  const parsed = parseJson(new TextDecoder().decode(body), `${at}.canonicalizedBody`);
  if (!isObject(parsed)) throw malformed(`${at}.canonicalizedBody must be a JSON object`);
  if (parsed['kind'] !== kind || parsed['apiVersion'] !== version) {
    const found = `${String(parsed['kind'])}/${String(parsed['apiVersion'])}`;
    throw new VerificationError('KIND_VERSION_MISMATCH', `${at}: body is ${found}, kindVersion says ${kind}/${version}`);
  }
}

/** Normalizes one bundle tlog entry. Throws MALFORMED / KIND_VERSION_MISMATCH before any crypto. */
export function bundleEntryMaterial(value: unknown, at: string): TlogMaterial {
  const entry = readObject(value, at);
  // A negative index is nonsense whatever else the entry says: reject it first.
  const logIndex = readIndex(entry['logIndex'] ?? '0', `${at}.logIndex`);
  const logId = readProtoBytes(readObject(entry['logId'], `${at}.logId`)['keyId'], `${at}.logId.keyId`);
  const kindVersion = readObject(entry['kindVersion'], `${at}.kindVersion`);
  const kind = readString(kindVersion['kind'], `${at}.kindVersion.kind`);
  const version = readString(kindVersion['version'], `${at}.kindVersion.version`);
  const body = readProtoBytes(entry['canonicalizedBody'], `${at}.canonicalizedBody`);
  if (body.length === 0) throw malformed(`${at}.canonicalizedBody is empty`);
  checkKindVersion(body, kind, version, at);
  const material: TlogMaterial = {
    body,
    // The SET covers the body re-encoded as standard base64, as sigstore clients rebuild it.
    bodyBase64: encodeStdBase64(body),
    logIndex,
    logId,
    integratedTime: readProtoIndex(entry['integratedTime'], `${at}.integratedTime`),
    flavour: V2_KINDS.has(`${kind}/${version}`) ? 'v2' : 'v1',
    kind,
    apiVersion: version,
  };
  const promise = entry['inclusionPromise'];
  if (promise !== undefined && promise !== null) {
    const set = readObject(promise, `${at}.inclusionPromise`)['signedEntryTimestamp'];
    material.signedEntryTimestamp = readProtoBytes(set, `${at}.inclusionPromise.signedEntryTimestamp`);
  }
  const proof = entry['inclusionProof'];
  if (proof !== undefined && proof !== null) material.inclusionProof = readProof(proof, at);
  return material;
}

function requirementsFor(version: BundleVersion, material: TlogMaterial): Requirements {
  if (material.flavour === 'v2' || version !== '0.1') return { inclusionProof: true, checkpoint: true };
  return { signedEntryTimestamp: true };
}

function tlogEntriesOf(bundle: JsonObject): unknown[] {
  const material = readObject(bundle['verificationMaterial'], 'verificationMaterial');
  const entries = material['tlogEntries'] ?? [];
  if (!Array.isArray(entries)) throw malformed('verificationMaterial.tlogEntries must be an array');
  if (entries.length === 0) throw new VerificationError('NO_TLOG_ENTRIES', 'the bundle has no transparency log entries');
  return entries;
}

/**
 * Verifies every transparency-log entry of a Sigstore bundle offline. Throws VerificationError
 * on the first entry that fails; returns what was verified for each.
 */
export function verifyBundle(bundleJson: unknown, trust: TrustInput): BundleVerification {
  const parsed = typeof bundleJson === 'string' ? parseJson(bundleJson, 'bundle') : bundleJson;
  const bundle = readObject(parsed, 'bundle');
  const mediaType = readString(bundle['mediaType'], 'mediaType');
  const bundleVersion = bundleVersionOf(mediaType);
  const entries = tlogEntriesOf(bundle);
  // Parse all entries before any crypto, so malformed input never reaches a verifier.
  const materials = entries.map((entry, i) => bundleEntryMaterial(entry, `verificationMaterial.tlogEntries[${i}]`));
  const trusted = loadTrust(trust);
  const tlogEntries = materials.map((m) => verifyTlogMaterial(m, trusted, requirementsFor(bundleVersion, m)));
  return { mediaType, bundleVersion, tlogEntries };
}
