/**
 * Trust material for offline verification: which logs we believe, by log ID, key, checkpoint
 * signer name and key IDs, and key validity period.
 *
 * Two inputs: a Sigstore trusted_root.json (text or parsed), or a plain list of log keys. From a
 * trusted root, like sigstore-js: checkpoint key ID = first 4 bytes of `checkpointKeyId` or else
 * `logId` (for v1 logs that is the SHA-256(SPKI) hint, for v2 the C2SP key ID), signer name = the
 * host of `baseUrl`, and RSA PKCS#1 keyDetails may carry a PKCS#1 RSAPublicKey instead of SPKI.
 * Logs we cannot use (no key we can parse, no log ID, no base URL, a non-SHA-256 tree) are skipped:
 * a newer root with, say, a post-quantum log must not stop us verifying entries of the others.
 */
import type { KeyObject } from 'node:crypto';
import { publicKeyFromDer, toPublicKey } from '../../crypto/index.js';
import { noteKeyHash, rekorKeyHint, sha256, spkiOf } from '../../note/index.js';
import { sameBytes } from './bytes.js';
import { VerificationError } from './errors.js';
import { isObject, readProtoBytes, type JsonObject } from './fields.js';

export interface ValidityPeriod {
  start?: Date;
  end?: Date;
}

export interface TrustedLog {
  baseUrl?: string;
  /** Checkpoint signer name; undefined accepts any name (the key ID and signature still bind). */
  name?: string;
  /** 'host-contains': a v1 signer name matches when the baseUrl host contains it (sigstore-js). */
  nameMatch: 'exact' | 'host-contains';
  /** The exact checkpoint origin, when the caller gave one. */
  origin?: string;
  /** Log IDs entries of this log carry (32 bytes each). */
  logIds: Uint8Array[];
  /** Key IDs its checkpoint signature lines carry (4 bytes each). */
  checkpointKeyIds: Uint8Array[];
  publicKey: KeyObject;
  validFor: ValidityPeriod;
}

/** One log key given directly rather than through a trusted root. */
export interface TrustedLogKey {
  /** PEM text, DER SPKI bytes, or a KeyObject. */
  publicKey: string | Uint8Array | KeyObject;
  /** Checkpoint signer name (v1: the server hostname; v2: the origin). */
  name?: string;
  /** Exact checkpoint origin (v1: `<hostname> - <treeID>`); also gives the name when `name` is absent. */
  origin?: string;
  /** The log URL; its host gives the name when neither name nor origin is given. */
  baseUrl?: string;
  validFor?: ValidityPeriod;
}

/** Parsed trust material; build it once with loadTrust and reuse it. */
export class TrustedLogs {
  constructor(readonly logs: readonly TrustedLog[]) {}
}

export type TrustInput = TrustedLogs | string | JsonObject | readonly TrustedLogKey[];

function hostOf(baseUrl: string): string | undefined {
  try {
    return new URL(baseUrl).host || undefined;
  } catch {
    return undefined;
  }
}

function dateOf(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function tryBytes(value: unknown): Uint8Array | undefined {
  try {
    return readProtoBytes(value, 'keyId');
  } catch {
    return undefined;
  }
}

function fromTrustedRootLog(tlog: JsonObject): TrustedLog | undefined {
  const key = isObject(tlog['publicKey']) ? tlog['publicKey'] : {};
  const details = typeof key['keyDetails'] === 'string' ? key['keyDetails'] : '';
  const raw = key['rawBytes'] === undefined ? undefined : tryBytes(key['rawBytes']);
  const logId = isObject(tlog['logId']) ? tryBytes(tlog['logId']['keyId']) : undefined;
  const checkpointId = isObject(tlog['checkpointKeyId']) ? tryBytes(tlog['checkpointKeyId']['keyId']) : undefined;
  const baseUrl = typeof tlog['baseUrl'] === 'string' ? tlog['baseUrl'] : undefined;
  const name = baseUrl === undefined ? undefined : hostOf(baseUrl);
  const hash = tlog['hashAlgorithm'];
  if (raw === undefined || logId === undefined || logId.length < 4 || name === undefined || baseUrl === undefined) return undefined;
  if (hash !== undefined && hash !== 'SHA2_256') return undefined;
  let publicKey: KeyObject;
  try {
    publicKey = publicKeyFromDer(raw, { allowPkcs1: /RSA/.test(details) });
  } catch {
    return undefined;
  }
  const validity = isObject(key['validFor']) ? key['validFor'] : {};
  const validFor: ValidityPeriod = {};
  const start = dateOf(validity['start']);
  const end = dateOf(validity['end']);
  if (start !== undefined) validFor.start = start;
  if (end !== undefined) validFor.end = end;
  const checkpointKeyId = (checkpointId ?? logId).slice(0, 4);
  return { baseUrl, name, nameMatch: 'host-contains', logIds: [logId], checkpointKeyIds: [checkpointKeyId], publicKey, validFor };
}

function fromTrustedRoot(root: JsonObject): TrustedLogs {
  const tlogs = root['tlogs'];
  if (!Array.isArray(tlogs)) throw new VerificationError('INVALID_TRUST', 'trusted root has no tlogs array');
  const logs = tlogs.filter(isObject).map(fromTrustedRootLog);
  return new TrustedLogs(logs.filter((log): log is TrustedLog => log !== undefined));
}

function addUnique(list: Uint8Array[], bytes: Uint8Array): void {
  if (!list.some((item) => sameBytes(item, bytes))) list.push(bytes);
}

function fromLogKey(entry: TrustedLogKey, i: number): TrustedLog {
  let publicKey: KeyObject;
  try {
    publicKey = toPublicKey(entry.publicKey);
  } catch (err) {
    throw new VerificationError('INVALID_TRUST', `trusted log ${i}: cannot parse its public key`, { cause: err });
  }
  const fromUrl = entry.baseUrl === undefined ? undefined : hostOf(entry.baseUrl);
  const name = entry.name ?? entry.origin?.split(' - ')[0] ?? fromUrl;
  const spki = spkiOf(publicKey);
  // Entries carry the v1 log ID (SHA-256 of the SPKI); v2 logs use the C2SP hash, which binds the name.
  const logIds = [sha256(spki)];
  const checkpointKeyIds = [rekorKeyHint(spki)];
  if (name !== undefined && ['ed25519', 'rsa'].includes(publicKey.asymmetricKeyType ?? '')) {
    const c2sp = noteKeyHash(publicKey, name, 'c2sp');
    addUnique(logIds, c2sp);
    addUnique(checkpointKeyIds, c2sp.slice(0, 4));
  }
  const log: TrustedLog = {
    nameMatch: entry.name !== undefined || entry.origin !== undefined ? 'exact' : 'host-contains',
    logIds,
    checkpointKeyIds,
    publicKey,
    validFor: entry.validFor ?? {},
  };
  if (entry.baseUrl !== undefined) log.baseUrl = entry.baseUrl;
  if (name !== undefined) log.name = name;
  if (entry.origin !== undefined) log.origin = entry.origin;
  return log;
}

/** Parses trust material once. Throws VerificationError('INVALID_TRUST'). */
export function loadTrust(input: TrustInput): TrustedLogs {
  if (input instanceof TrustedLogs) return input;
  if (Array.isArray(input)) return new TrustedLogs((input as readonly TrustedLogKey[]).map(fromLogKey));
  if (typeof input === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch (err) {
      throw new VerificationError('INVALID_TRUST', 'trusted root is not valid JSON', { cause: err });
    }
    if (!isObject(parsed)) throw new VerificationError('INVALID_TRUST', 'trusted root must be a JSON object');
    return fromTrustedRoot(parsed);
  }
  return fromTrustedRoot(input as JsonObject);
}

function validAt(log: TrustedLog, time: Date): boolean {
  const { start, end } = log.validFor;
  return (start === undefined || start <= time) && (end === undefined || time <= end);
}

/** The trusted logs with this log ID (and, when `time` is given, a key valid then). */
export function findTrustedLogs(trust: TrustedLogs, logId: Uint8Array, time?: Date): TrustedLog[] {
  return trust.logs.filter(
    (log) => log.logIds.some((id) => sameBytes(id, logId)) && (time === undefined || validAt(log, time)),
  );
}
