import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { generateSignerKey, publicKeyFromDer, verifySET } from '../src/crypto/index.js';
import { LogIdentityError, TransparencyLog, shardSigner, type EntryView } from '../src/log/index.js';
import { verifyConsistency, verifyInclusion } from '../src/merkle/index.js';
import { keyVerifier, verifyCheckpoint } from '../src/note/index.js';
import { SqliteStorage, SqliteWriterThread } from '../src/storage/sqlite/index.js';
import { checkLog } from './check-log.js';
import { pending } from './storage-conformance.js';

const dir = mkdtempSync(join(tmpdir(), 'rekor-ts-log-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const generated = generateSignerKey();
const key = shardSigner(generated.signer);
const sequencer = { maxBatchSize: 64, maxBatchAgeMs: 0, maxPending: 1000 };
let n = 0;

async function openLog(path = join(dir, `log${++n}.db`), signer = key, hostname = 'log.example', threaded = false) {
  const storage = new SqliteStorage({ path });
  try {
    const log = await TransparencyLog.open({
      storage,
      signer,
      hostname,
      sequencer: { ...sequencer, maxConcurrentFlushes: threaded ? 2 : 1 },
      clock: () => new Date(1_700_000_123_456),
      ...(threaded ? { integrator: new SqliteWriterThread({ path, signerPem: generated.privateKeyPem }) } : {}),
    });
    return { log, storage, path };
  } catch (err) {
    await storage.close();
    throw err;
  }
}

/** What a client does with a returned entry: inclusion against the checkpoint, and the SET. */
function verifyView(view: EntryView): void {
  const publicKey = publicKeyFromDer(view.shard.publicKeyDer);
  const { checkpoint } = verifyCheckpoint(view.proof.checkpoint, [keyVerifier({ name: 'log.example', publicKey })]);
  assert.equal(checkpoint.size, view.proof.treeSize);
  assert.deepEqual(Buffer.from(checkpoint.rootHash), Buffer.from(view.proof.rootHash));
  verifyInclusion(view.entry.leafHash, view.entry.index, checkpoint.size, view.proof.hashes, checkpoint.rootHash);
  const fields = {
    body: Buffer.from(view.entry.body).toString('base64'),
    integratedTime: view.entry.integratedTime,
    logID: view.logIdHex,
    logIndex: view.globalIndex,
  };
  assert.ok(verifySET(publicKey, fields, view.entry.signedEntryTimestamp), 'SET verifies');
}

describe('TransparencyLog', () => {
  it('creates one identity and keeps it across restarts', async () => {
    const first = await openLog();
    const { treeId, origin } = first.log.activeShard;
    assert.ok(treeId > 0n && treeId < 1n << 63n);
    assert.equal(origin, `log.example - ${treeId}`);
    await first.log.add(pending('one'));
    await first.log.close();
    await first.storage.close();

    const again = await openLog(first.path);
    assert.equal(again.log.activeShard.treeId, treeId);
    assert.equal((await again.log.head()).size, 1n);
    await again.storage.close();

    const otherKey = shardSigner(generateSignerKey().signer);
    await assert.rejects(openLog(first.path, otherKey), LogIdentityError);
    await assert.rejects(openLog(first.path, key, 'other.example'), /--hostname log\.example/);
  });

  for (const threaded of [false, true]) {
    it(`answers concurrent adds with proofs and SETs that verify, and detects duplicates (${threaded ? 'writer thread' : 'in process'})`, async () => {
      const { log, storage } = await openLog(undefined, key, 'log.example', threaded);
      const results = await Promise.all(Array.from({ length: 300 }, (_, i) => log.add(pending(`entry ${i % 250}`))));
      const added = results.filter((r) => r.status === 'added');
      const dups = results.filter((r) => r.status === 'duplicate');
      assert.equal(added.length, 250);
      assert.equal(dups.length, 50);
      for (const r of added) verifyView(r.view);
      const indices = added.map((r) => r.view.globalIndex).sort((a, b) => (a < b ? -1 : 1));
      assert.deepEqual(indices, Array.from({ length: 250 }, (_, i) => BigInt(i)));
      const first = added.find((r) => Buffer.from(r.view.entry.body).toString() === 'entry 0');
      const dup = dups[0];
      assert.ok(first && dup && dup.entryId.endsWith(Buffer.from(pending('entry 0').leafHash).toString('hex')));
      assert.equal(dup.entryId, first.view.entryId);
      await checkLog(storage, log.activeShard);
      await log.close();
      await storage.close();
    });
  }

  it('reads entries by index and leaf hash with proofs against the current head', async () => {
    const { log, storage } = await openLog();
    for (let i = 0; i < 5; i++) await log.add(pending(`r${i}`));
    const view = await log.entryByGlobalIndex(2n);
    assert.ok(view);
    assert.equal(view.proof.treeSize, 5n);
    verifyView(view);
    assert.equal(await log.entryByGlobalIndex(5n), null);
    assert.equal(await log.entryByGlobalIndex(-1n), null);
    const byHash = await log.entriesByLeafHash(pending('r3').leafHash);
    assert.equal(byHash.length, 1);
    assert.equal(byHash[0]?.globalIndex, 3n);
    assert.deepEqual(await log.entriesByLeafHash(pending('absent').leafHash), []);
    await storage.close();
  });

  it('proves every older head consistent with the newest', async () => {
    const { log, storage } = await openLog();
    const heads = [];
    for (let i = 0; i < 40; i++) {
      await Promise.all(Array.from({ length: i % 7 }, (_, j) => log.add(pending(`c${i}-${j}`))));
      heads.push(await log.head());
    }
    const last = heads[heads.length - 1];
    assert.ok(last);
    for (const head of heads) {
      if (head.size === 0n) continue;
      const proof = await log.consistencyProof(log.activeShard.treeId, head.size, last.size);
      verifyConsistency(head.size, last.size, proof, head.rootHash, last.rootHash);
    }
    await storage.close();
  });
});
