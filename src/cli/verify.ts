/**
 * `verify`: proves an entry is in the log. Online (Rekor's command): find the entry by --uuid,
 * --log-index or the proposed entry built from artifact flags (via entries/retrieve), check the
 * body hashes to the UUID, that the local canonicalization of the artifact inputs is the same
 * leaf, then inclusion proof, checkpoint and SET against the log key, and print the audit path
 * step by step. Offline (not in Rekor): a stored LogEntry (--entry) or Sigstore bundle (--bundle)
 * against --public-key or --trusted-root, with no network at all.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  isVerificationError,
  loadTrust,
  verifyBundle,
  verifyLogEntry,
  type TlogEntryVerification,
  type TrustedLogs,
} from '../client/verify/index.js';
import { toHex } from '../crypto/index.js';
import { isRekorError } from '../errors.js';
import { hashLeaf } from '../merkle/index.js';
import { CliError, verificationError } from './errors.js';
import type { InputOptions } from './files.js';
import { messageOf, type RekorClient } from './http.js';
import { checkLogIndexFlag, checkUuidFlag, compareEntryUUIDs, keyedEntries, verifyOnline, type KeyedEntry } from './entry.js';
import type { CommandOutput } from './output.js';
import { parseTypeFlag, proposedEntryFromFlags, type ArtifactProps, type ProposedEntry } from './proposed.js';
import type { Settings } from './settings.js';
import { readProposedEntry } from './upload.js';

export interface VerifyOptions extends ArtifactProps {
  uuid?: string;
  logIndex?: string;
  entry?: string;
  type: string;
  offline?: boolean;
  bundle?: string;
  trustedRoot?: string;
}

function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(Buffer.from([1])).update(left).update(right).digest();
}

/** Rekor's verify text: the audit path recomputed step by step. */
export function auditPathText(out: { RootHash: string; EntryUUID: string; Index: number; Size: number; Hashes: string[]; Checkpoint: string }): string {
  const leafHash = out.EntryUUID.slice(-64);
  let s = `Current Root Hash: ${out.RootHash}\nEntry Hash: ${leafHash}\nEntry Index in Current Tree: ${out.Index}\nCurrent Tree Size: ${out.Size}\n`;
  s += out.Checkpoint.length > 0 ? `Checkpoint:\n${out.Checkpoint}\n\n` : '\n';
  s += 'Inclusion Proof:\n';
  const index = BigInt(out.Index);
  const inner = (index ^ (BigInt(out.Size) - 1n)).toString(2).replace(/^0+/, '').length;
  let result: Buffer = Buffer.from(leafHash, 'hex');
  out.Hashes.forEach((h, i) => {
    const sibling = Buffer.from(h, 'hex');
    const [left, right] = i < inner && ((index >> BigInt(i)) & 1n) === 0n ? [result, sibling] : [sibling, result];
    result = nodeHash(left, right);
    s += `SHA256(0x01 | ${left.toString('hex')} | ${right.toString('hex')}) =\n\t${result.toString('hex')}\n\n`;
  });
  s += `Computed Root Hash: ${result.toString('hex')}\nExpected Root Hash: ${out.RootHash}\n`;
  return s;
}

async function canonicalLeaf(proposal: ProposedEntry): Promise<Uint8Array> {
  // Loaded only here: every entry kind (openpgp, pkijs…) would slow each CLI start noticeably.
  const { defaultRegistry } = await import('../types/registry.js');
  const { defaultTypeContext } = await import('../types/types.js');
  try {
    const canonical = await defaultRegistry().canonicalizeProposed(proposal.kind, proposal.apiVersion, proposal.spec, defaultTypeContext());
    return canonical.leafHash;
  } catch (err) {
    if (isRekorError(err)) throw new CliError(`canonicalizing proposed entry: ${err.message}`, 1, { cause: err });
    throw err;
  }
}

async function verifyOnlineCommand(client: RekorClient, settings: Settings, opts: VerifyOptions, io: InputOptions): Promise<CommandOutput> {
  const query: Record<string, unknown> = {};
  let proposal: ProposedEntry | undefined;
  if (opts.uuid !== undefined) {
    checkUuidFlag(opts.uuid);
    query['entryUUIDs'] = [opts.uuid];
  } else if (opts.logIndex !== undefined) {
    query['logIndexes'] = [checkLogIndexFlag(opts.logIndex)];
  } else {
    if (opts.entry === undefined && opts.artifact === undefined && opts.artifactHash === undefined) {
      throw new CliError("either 'entry' or 'artifact' or 'artifact-hash' must be specified", 2);
    }
    if (opts.entry !== undefined) {
      proposal = await readProposedEntry(opts.entry, io);
    } else {
      const { kind, version } = parseTypeFlag(opts.type);
      proposal = await proposedEntryFromFlags(kind, version, opts, io);
    }
    query['entries'] = [proposal];
  }
  const response = await client.request('POST', '/api/v1/log/entries/retrieve', query);
  if (response.status === 404) throw verificationError('entry in log cannot be located');
  if (response.status !== 200) {
    throw new CliError(`[POST /api/v1/log/entries/retrieve][${response.status}] searchLogQuery: ${messageOf(response.text)}`);
  }
  const payload = JSON.parse(response.text) as unknown;
  if (!Array.isArray(payload) || payload.length === 0) throw verificationError('entry in log cannot be located');
  if (payload.length > 1) throw verificationError('multiple entries returned; this should not happen');
  const entry = keyedEntries(payload, 'verify')[0] as KeyedEntry;
  const body = Buffer.from(entry.value.body, 'base64');
  const computed = toHex(hashLeaf(body));
  if (computed !== entry.uuid.slice(-64).toLowerCase()) {
    throw verificationError(`entry body hash does not match response UUID: computed ${computed}, got ${entry.uuid.slice(-64)}`);
  }
  if (opts.uuid !== undefined) compareEntryUUIDs(opts.uuid, entry.uuid);
  if (proposal !== undefined && toHex(await canonicalLeaf(proposal)) !== computed) {
    throw verificationError('returned entry does not match provided artifact inputs');
  }
  const proof = entry.value.verification?.inclusionProof;
  if (proof === undefined) throw verificationError('validating entry: the entry has no inclusion proof');
  await verifyOnline(client, settings, entry, 'validating entry');
  const out = {
    RootHash: proof.rootHash,
    EntryUUID: entry.uuid,
    Index: proof.logIndex,
    Size: proof.treeSize,
    Hashes: proof.hashes ?? [],
    Checkpoint: proof.checkpoint ?? '',
  };
  return { json: () => out, text: () => auditPathText(out) };
}

function readTrust(opts: VerifyOptions): TrustedLogs {
  try {
    if (opts.trustedRoot !== undefined) return loadTrust(readFileSync(opts.trustedRoot, 'utf8'));
    if (opts.publicKeys.length > 0) return loadTrust(opts.publicKeys.map((path) => ({ publicKey: readFileSync(path, 'utf8') })));
  } catch (err) {
    if (isVerificationError(err)) throw new CliError(`cannot use the trust material: ${err.message}`, 2, { cause: err });
    throw new CliError(`cannot read the trust material: ${(err as Error).message}`, 2, { cause: err });
  }
  throw new CliError('verify --offline needs the log key: --public-key <pem> or --trusted-root <file>', 2);
}

function describe(result: TlogEntryVerification, i: number): string {
  const v = result.verified;
  const cp = result.checkpoint;
  const lines = [
    `tlog entry ${i}: log index ${result.logIndex}, ${result.kind ?? '?'} ${result.apiVersion ?? ''}`.trimEnd(),
    `  log:                    ${result.log.baseUrl ?? result.logId}`,
    `  entry hash (UUID):      ${result.leafHash}${v.entryUuid ? ' (matches the entry UUID)' : ''}`,
    `  inclusion proof:        ${v.inclusionProof ? 'verified' : 'absent'}`,
    `  checkpoint:             ${v.checkpoint && cp !== undefined ? `verified (${cp.origin}, size ${cp.size})` : 'absent'}`,
    `  signed entry timestamp: ${v.signedEntryTimestamp ? 'verified' : 'absent'}`,
  ];
  if (result.integratedTime !== undefined) lines.push(`  integrated time:        ${new Date(Number(result.integratedTime) * 1000).toISOString().replace(/\.000Z$/, 'Z')}`);
  return lines.join('\n');
}

function savedLogEntry(parsed: unknown): unknown {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const record = parsed as Record<string, unknown>;
  return Object.hasOwn(record, 'LogEntry') && Object.hasOwn(record, 'UUID') ? record['LogEntry'] : undefined;
}

export function verifyOffline(opts: VerifyOptions): CommandOutput {
  if ((opts.entry === undefined) === (opts.bundle === undefined)) throw new CliError('verify --offline needs exactly one of --entry <file> or --bundle <file>', 2);
  const trust = readTrust(opts);
  const file = (opts.entry ?? opts.bundle) as string;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 2, { cause: err });
  }
  let results: TlogEntryVerification[];
  let header: string;
  try {
    if (opts.bundle !== undefined) {
      const bundle = verifyBundle(text, trust);
      results = bundle.tlogEntries;
      header = `Sigstore bundle v${bundle.bundleVersion}: ${file}`;
    } else {
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // verifyLogEntry reports the malformed JSON
      }
      // `get --format json` output: Rekor's fields plus the served LogEntry.
      const saved = savedLogEntry(parsed);
      if (saved !== undefined) results = [verifyLogEntry(saved, trust)];
      else results = Array.isArray(parsed) ? parsed.map((e) => verifyLogEntry(e, trust)) : [verifyLogEntry(text, trust)];
      header = `Rekor log entry: ${file}`;
    }
  } catch (err) {
    if (isVerificationError(err)) throw verificationError(`verification failed: ${err.message} [${err.code}]`, err);
    throw err;
  }
  const json = {
    Verified: true,
    Entries: results.map((r) => ({
      LogIndex: Number(r.logIndex),
      LogID: r.logId,
      UUID: r.leafHash,
      Kind: r.kind ?? '',
      Log: r.log.baseUrl ?? '',
      InclusionProof: r.verified.inclusionProof,
      Checkpoint: r.verified.checkpoint,
      SignedEntryTimestamp: r.verified.signedEntryTimestamp,
    })),
  };
  return {
    json: () => json,
    text: () => `Verification Successful! (offline)\n${header}\n${results.map(describe).join('\n')}\n`,
  };
}

export async function verify(client: RekorClient, settings: Settings, opts: VerifyOptions, io: InputOptions): Promise<CommandOutput> {
  if (opts.offline === true) return verifyOffline(opts);
  if (opts.bundle !== undefined || opts.trustedRoot !== undefined) throw new CliError('--bundle and --trusted-root need --offline', 2);
  return verifyOnlineCommand(client, settings, opts, io);
}
