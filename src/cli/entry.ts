/**
 * Log entries as the v1 API returns them, and online verification of them against the log key
 * (pinned, or fetched from /api/v1/log/publicKey for the entry's tree), through the offline
 * verifier in src/client/verify.
 */
import { isVerificationError, loadTrust, verifyLogEntry, type TlogEntryVerification, type TrustedLog, type TrustedLogs } from '../client/verify/index.js';
import { CliError, verificationError } from './errors.js';
import type { RekorClient } from './http.js';
import type { Settings } from './settings.js';

export interface LogEntryValue {
  body: string;
  integratedTime: number;
  logID: string;
  logIndex: number;
  attestation?: { data?: string };
  verification?: {
    inclusionProof?: { checkpoint?: string; hashes?: string[]; logIndex: number; rootHash: string; treeSize: number };
    signedEntryTimestamp?: string;
  };
}

/** One `{ "<entryID>": {...} }` object. */
export interface KeyedEntry {
  uuid: string;
  value: LogEntryValue;
  /** The object as the server sent it, for verification and `--format logentry`. */
  raw: Record<string, unknown>;
}

export const STRUCT_FIELD: Record<string, string> = {
  rekord: 'RekordObj',
  hashedrekord: 'HashedRekordObj',
  intoto: 'IntotoObj',
  dsse: 'DSSEObj',
  cose: 'CoseObj',
  rpm: 'RPMModel',
  jar: 'JARModel',
  alpine: 'AlpineModel',
  helm: 'HelmObj',
  rfc3161: 'Rfc3161Obj',
  tuf: 'TufObj',
};

export function keyedEntries(value: unknown, what: string): KeyedEntry[] {
  const objects = Array.isArray(value) ? value : [value];
  const result: KeyedEntry[] = [];
  for (const object of objects) {
    if (object === null || typeof object !== 'object' || Array.isArray(object)) throw new CliError(`${what}: the server returned something other than a log entry`);
    for (const [uuid, inner] of Object.entries(object as Record<string, unknown>)) {
      if (inner === null || typeof inner !== 'object' || typeof (inner as { body?: unknown }).body !== 'string') {
        throw new CliError(`${what}: entry ${uuid} has no body`);
      }
      result.push({ uuid, value: inner as LogEntryValue, raw: { [uuid]: inner } });
    }
  }
  return result;
}

/** The decimal tree ID of an 80-hex EntryID, or undefined for a bare 64-hex UUID. */
export function treeIdOf(entryId: string): string | undefined {
  if (entryId.length !== 80) return undefined;
  return BigInt.asIntN(64, BigInt(`0x${entryId.slice(0, 16)}`)).toString();
}

export interface LogKey {
  pem: string;
  trust: TrustedLogs;
  log: TrustedLog;
}

export async function logKey(client: RekorClient, settings: Settings, treeID: string | undefined): Promise<LogKey> {
  const pem = settings.publicKeyPem ?? (await client.publicKey(treeID));
  let trust: TrustedLogs;
  try {
    trust = loadTrust([{ publicKey: pem }]);
  } catch (err) {
    throw new CliError('failed to decode public key of server', 1, { cause: err });
  }
  return { pem, trust, log: trust.logs[0] as TrustedLog };
}

/** Verifies body/UUID, inclusion proof, checkpoint and SET of an entry the server returned. */
export async function verifyOnline(
  client: RekorClient,
  settings: Settings,
  entry: KeyedEntry,
  prefix: string,
): Promise<TlogEntryVerification> {
  const key = await logKey(client, settings, treeIdOf(entry.uuid));
  try {
    return verifyLogEntry(entry.raw, key.trust, { require: { signedEntryTimestamp: true } });
  } catch (err) {
    if (isVerificationError(err)) throw verificationError(`${prefix}: ${err.message} [${err.code}]`, err);
    throw err;
  }
}

/** Rekor's check that the server answered with the entry that was asked for. */
export function compareEntryUUIDs(requested: string, returned: string): void {
  const want = requested.toLowerCase();
  const got = returned.toLowerCase();
  const mismatch = (): CliError => verificationError(`unexpected entry returned from rekor server: expected ${requested}, got ${returned}`);
  if (want.slice(-64) !== got.slice(-64)) throw mismatch();
  if (want.length === 80 && got.length === 80 && want.slice(0, 16) !== got.slice(0, 16)) throw mismatch();
}

export function decodeBody(entry: KeyedEntry): { kind: string; apiVersion: string; spec: unknown; bytes: Buffer } {
  const bytes = Buffer.from(entry.value.body, 'base64');
  let parsed: { kind?: unknown; apiVersion?: unknown; spec?: unknown };
  try {
    parsed = JSON.parse(bytes.toString('utf8')) as typeof parsed;
  } catch (err) {
    throw new CliError(`entry ${entry.uuid}: the body is not JSON`, 1, { cause: err });
  }
  if (typeof parsed.kind !== 'string' || typeof parsed.apiVersion !== 'string') throw new CliError(`entry ${entry.uuid}: the body has no kind or apiVersion`);
  return { kind: parsed.kind, apiVersion: parsed.apiVersion, spec: parsed.spec, bytes };
}

/** Go's sharding.ValidateEntryID / UUID flag check. */
export function checkUuidFlag(value: string): void {
  if (value.length !== 64 && value.length !== 80) {
    throw new CliError(`invalid argument "${value}" for "--uuid" flag: ID len error, expected 80 (EntryID) or 64 (UUID) but got len ${value.length} for ID ${value}`, 2);
  }
  if (!/^[0-9a-fA-F]+$/.test(value)) throw new CliError(`invalid argument "${value}" for "--uuid" flag: invalid uuid: ${value}`, 2);
}

export function checkLogIndexFlag(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new CliError(`invalid argument "${value}" for "--log-index" flag: field 'log-index' is not a valid number`, 2);
  }
  return Number(value);
}
