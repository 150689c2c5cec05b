/**
 * `loginfo`: verifies the signature on every shard's checkpoint with the log key, proves each is
 * consistent with the checkpoint verified last time (state.ts), and stores it. A log that cannot
 * prove consistency with what we saw before is showing us a fork or a rollback: that is an
 * alarm with both checkpoints and the failing proof, never a quiet error, and the stored state is
 * left as it was so the next run alarms too.
 */
import { isVerificationError, verifyLogCheckpoint } from '../client/verify/index.js';
import { parseHex, toHex } from '../crypto/index.js';
import { isMerkleError, verifyConsistency } from '../merkle/index.js';
import { parseCheckpoint, type Checkpoint } from '../note/index.js';
import { CliError, verificationError } from './errors.js';
import type { RekorClient } from './http.js';
import { logKey } from './entry.js';
import { log, type CommandOutput } from './output.js';
import type { Settings } from './settings.js';
import { dumpState, loadState, stateFile } from './state.js';

interface ShardInfo {
  rootHash: string;
  signedTreeHead: string;
  treeID: string;
  treeSize: number;
}

interface LogInfo extends ShardInfo {
  inactiveShards?: ShardInfo[] | null;
}

function indent(text: string): string {
  return text.replace(/\n$/, '').split('\n').map((line) => `    ${line}`).join('\n');
}

function alarm(reason: string, key: string, stored: string, fresh: string, proof?: { path: string; hashes: string[] }): CliError {
  const lines = [
    '!!! ALARM: THE LOG IS NOT CONSISTENT WITH THE CHECKPOINT YOU VERIFIED BEFORE !!!',
    'The log may be presenting a forked (split) view or have been rolled back. Do not trust it.',
    `reason: ${reason}`,
    `previously verified checkpoint (${stateFile()}, key "${key}"):`,
    indent(stored),
    'checkpoint the log serves now:',
    indent(fresh),
  ];
  if (proof !== undefined) {
    lines.push(`consistency proof from GET ${proof.path}:`);
    lines.push(proof.hashes.length === 0 ? '    (no hashes)' : proof.hashes.map((h, i) => `    hashes[${i}] = ${h}`).join('\n'));
  }
  lines.push('The stored state was left unchanged.');
  return verificationError(lines.join('\n'));
}

async function proveConsistency(client: RekorClient, key: string, storedText: string, stored: Checkpoint, freshText: string, fresh: Checkpoint, treeID: string): Promise<void> {
  if (stored.size === 0n) throw new CliError('consistency proofs can not be computed starting from an empty log');
  if (stored.size === fresh.size) {
    if (toHex(stored.rootHash) !== toHex(fresh.rootHash)) {
      throw alarm(`old root hash does not match STH hash (both trees have size ${fresh.size})`, key, storedText, freshText);
    }
    return;
  }
  if (stored.size > fresh.size) {
    throw alarm(`the log's tree size ${fresh.size} is smaller than the verified tree size ${stored.size}`, key, storedText, freshText);
  }
  const path = `/api/v1/log/proof?firstSize=${stored.size}&lastSize=${fresh.size}${treeID === '' ? '' : `&treeID=${treeID}`}`;
  const { value } = await client.json<{ hashes?: unknown }>('GET', path);
  const hashes = Array.isArray(value.hashes) ? value.hashes.map(String) : [];
  try {
    const bytes = hashes.map((h, i) => {
      const b = /^[0-9a-fA-F]{64}$/.test(h) ? parseHex(h) : undefined;
      if (b === undefined) throw new CliError(`consistency proof hashes[${i}] is not a 32-byte hex hash`);
      return b;
    });
    verifyConsistency(stored.size, fresh.size, bytes, stored.rootHash, fresh.rootHash);
  } catch (err) {
    if (isMerkleError(err) || err instanceof CliError) {
      throw alarm(`consistency proof from size ${stored.size} to ${fresh.size} does not verify: ${err.message}`, key, storedText, freshText, { path, hashes });
    }
    throw err;
  }
}

async function verifyTree(client: RekorClient, settings: Settings, signedTreeHead: string, treeID: string): Promise<void> {
  const stateKey = treeID === '' ? settings.server : treeID;
  const storedText = loadState(stateKey);
  const key = await logKey(client, settings, treeID === '' ? undefined : treeID);
  let fresh: Checkpoint;
  try {
    fresh = verifyLogCheckpoint(signedTreeHead, key.log, 'v1');
  } catch (err) {
    if (isVerificationError(err)) throw verificationError(`signature on tree head did not verify: ${err.message}\n${indent(signedTreeHead)}`, err);
    throw err;
  }
  if (storedText !== undefined) {
    let stored: Checkpoint;
    try {
      stored = parseCheckpoint(storedText).checkpoint;
    } catch (err) {
      throw new CliError(`the stored checkpoint for "${stateKey}" in ${stateFile()} does not parse; remove it to start over`, 1, { cause: err });
    }
    await proveConsistency(client, stateKey, storedText, stored, signedTreeHead, fresh, treeID);
  } else {
    log('No previous log state stored, unable to prove consistency');
  }
  if (settings.storeTreeState && fresh.size > 0n) {
    try {
      dumpState(treeID === '' ? [settings.server] : [treeID, settings.server], signedTreeHead);
    } catch (err) {
      log(`Unable to store previous state: ${(err as Error).message}`);
    }
  }
}

export async function loginfo(client: RekorClient, settings: Settings): Promise<CommandOutput> {
  const { value: info } = await client.json<LogInfo>('GET', '/api/v1/log');
  if (typeof info.signedTreeHead !== 'string') throw new CliError('GET /api/v1/log: the response has no signedTreeHead');
  const inactive = Array.isArray(info.inactiveShards) ? info.inactiveShards : [];
  if (inactive.length > 0) log('Validating inactive shards...');
  for (const shard of inactive) {
    try {
      await verifyTree(client, settings, shard.signedTreeHead, String(shard.treeID));
    } catch (err) {
      if (err instanceof CliError) throw new CliError(`verifying inactive shard with ID ${shard.treeID}: ${err.message}`, err.exitCode, { cause: err });
      throw err;
    }
  }
  if (inactive.length > 0) log('Successfully validated inactive shards');
  await verifyTree(client, settings, info.signedTreeHead, String(info.treeID ?? ''));
  const total = inactive.reduce((sum, shard) => sum + Number(shard.treeSize), Number(info.treeSize));
  const out = { ActiveTreeSize: Number(info.treeSize), TotalTreeSize: total, RootHash: String(info.rootHash), TreeID: String(info.treeID) };
  return {
    json: () => out,
    text: () =>
      `Verification Successful!\nActive Tree Size:       ${out.ActiveTreeSize}\nTotal Tree Size:        ${out.TotalTreeSize}\nRoot Hash:              ${out.RootHash}\nTreeID:                 ${out.TreeID}\n`,
  };
}
