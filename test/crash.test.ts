/**
 * Crash safety: SIGKILL the real server while 16 clients write, restart it on the same data
 * dir, and check that (1) every acknowledged entry is there, unchanged, with an inclusion
 * proof, checkpoint and SET that verify; (2) every checkpoint a client saw is consistent with
 * the new head; (3) the database passes checkLog; (4) the log kept its identity.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { verifyLogEntry } from '../src/client/verify/index.js';
import { verifyConsistency } from '../src/merkle/index.js';
import { keyVerifier, verifyCheckpoint } from '../src/note/index.js';
import { publicKeyFromPem } from '../src/crypto/index.js';
import { SqliteStorage } from '../src/storage/sqlite/index.js';
import { checkLog } from './check-log.js';
import { hashedRekord } from './entries.js';
import { startServerProcess } from './server-process.js';

const dataDirs: string[] = [];
after(() => dataDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

interface Acked {
  uuid: string;
  value: { body: string; logIndex: number; verification: { inclusionProof: { checkpoint: string } } };
}

const WRITERS = 16;
const KILL_AFTER = 400;

it('keeps every acknowledged entry and stays consistent across SIGKILL', { timeout: 120_000 }, () => crashAndRestart([]));

// With workers the primary holds the one writer: killing it takes the writer and, with the
// IPC channel, the workers, while their batches are still in flight.
it('does the same with --workers 2 when the primary is killed', { timeout: 120_000 }, () => crashAndRestart(['--workers', '2']));

async function crashAndRestart(serverArgs: string[]): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rekor-ts-crash-'));
  dataDirs.push(dataDir);
  const first = await startServerProcess({ dataDir, args: ['--batch-size', '32', ...serverArgs] });
  const publicKeyPem = await (await fetch(`${first.url}/api/v1/log/publicKey`)).text();
  const info1 = (await (await fetch(`${first.url}/api/v1/log`)).json()) as { treeID: string };
  const acked: Acked[] = [];
  let killed: Promise<void> | undefined;

  const writer = async (): Promise<void> => {
    while (killed === undefined) {
      let response: Response;
      try {
        response = await fetch(`${first.url}/api/v1/log/entries`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(hashedRekord()),
        });
      } catch {
        return; // the server died under this request: not acknowledged
      }
      assert.equal(response.status, 201, await response.clone().text());
      const json = (await response.json()) as Record<string, Acked['value']>;
      const [uuid, value] = Object.entries(json)[0] as [string, Acked['value']];
      acked.push({ uuid, value });
      if (acked.length >= KILL_AFTER && killed === undefined) killed = first.kill();
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  await killed;
  assert.ok(acked.length >= KILL_AFTER);

  const second = await startServerProcess({ dataDir, args: serverArgs });
  try {
    const info2 = (await (await fetch(`${second.url}/api/v1/log`)).json()) as {
      treeID: string;
      treeSize: number;
      rootHash: string;
      signedTreeHead: string;
    };
    assert.equal(info2.treeID, info1.treeID, 'the restart kept the tree');
    assert.equal(await (await fetch(`${second.url}/api/v1/log/publicKey`)).text(), publicKeyPem, 'and the key');
    const publicKey = publicKeyFromPem(publicKeyPem);
    const head = verifyCheckpoint(info2.signedTreeHead, [keyVerifier({ name: '127.0.0.1', publicKey })]).checkpoint;
    assert.ok(info2.treeSize >= acked.length);

    for (const { uuid, value } of acked) {
      const response = await fetch(`${second.url}/api/v1/log/entries/${uuid}`);
      assert.equal(response.status, 200, `acknowledged entry ${uuid} is present`);
      const entry = (await response.json()) as Record<string, Acked['value']>;
      const got = entry[uuid];
      assert.ok(got, 'keyed by the same entry ID');
      assert.equal(got.body, value.body);
      assert.equal(got.logIndex, value.logIndex);
      verifyLogEntry(entry, [{ publicKey: publicKeyPem, name: '127.0.0.1' }], {
        require: { inclusionProof: true, checkpoint: true, signedEntryTimestamp: true },
      });
    }

    const seen = new Map<bigint, Uint8Array>();
    for (const { value } of acked) {
      const cp = verifyCheckpoint(value.verification.inclusionProof.checkpoint, [keyVerifier({ name: '127.0.0.1', publicKey })]).checkpoint;
      seen.set(cp.size, cp.rootHash);
    }
    for (const [size, root] of seen) {
      const response = await fetch(`${second.url}/api/v1/log/proof?firstSize=${size}&lastSize=${head.size}`);
      assert.equal(response.status, 200);
      const proof = (await response.json()) as { hashes: string[] };
      verifyConsistency(size, head.size, proof.hashes.map((h) => Buffer.from(h, 'hex')), root, head.rootHash);
    }
  } finally {
    assert.equal(await second.stop(), 0, second.stderr());
  }

  const storage = new SqliteStorage({ path: join(dataDir, 'rekor.db') });
  try {
    const [shard] = await storage.listShards();
    assert.ok(shard);
    await checkLog(storage, shard);
  } finally {
    await storage.close();
  }
}
