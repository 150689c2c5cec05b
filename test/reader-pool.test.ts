/**
 * The read threads answer with the same bytes as the event-loop path, on a real SQLite log:
 * every index (batches larger than one message), leaf-hash lookups, entries committed a moment
 * ago, errors, and a thread that dies under load.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { generateSignerKey } from '../src/crypto/index.js';
import { isRekorError } from '../src/errors.js';
import { LogReader, TransparencyLog, shardSigner } from '../src/log/index.js';
import { ReaderPool } from '../src/main/reader-pool.js';
import { verifyInclusion } from '../src/merkle/index.js';
import { entryDocuments } from '../src/server/index.js';
import { SqliteStorage } from '../src/storage/sqlite/index.js';
import { pending } from './storage-conformance.js';

const dir = mkdtempSync(join(tmpdir(), 'rekor-ts-readers-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const signer = shardSigner(generateSignerKey().signer);
const sequencer = { maxBatchSize: 100, maxBatchAgeMs: 0, maxPending: 10_000 };

async function openLog(name: string, entries: number) {
  const path = join(dir, name);
  const storage = new SqliteStorage({ path });
  const log = await TransparencyLog.open({ storage, signer, hostname: 'readers.example', sequencer });
  // Several batches, so that heads, full tiles and a partial tile all exist.
  for (let from = 0; from < entries; from += 150) {
    const batch = Array.from({ length: Math.min(150, entries - from) }, (_, i) => {
      const entry = pending(`${name} entry ${from + i}`, [`key-${(from + i) % 7}`]);
      return (from + i) % 5 === 0 ? { ...entry, attestation: new TextEncoder().encode(`attestation ${from + i}`) } : entry;
    });
    await Promise.all(batch.map((e) => log.add(e)));
  }
  return { path, storage, log, local: entryDocuments(log.reader) };
}

const text = (doc: Buffer | null | undefined): string | null => (doc === null || doc === undefined ? null : doc.toString('utf8'));

describe('ReaderPool', () => {
  const size = 700;
  let fixture: Awaited<ReturnType<typeof openLog>>;
  let pool: ReaderPool;
  before(async () => {
    fixture = await openLog('main.db', size);
    pool = new ReaderPool(2, { databasePath: fixture.path });
    await pool.start();
  });
  after(async () => {
    await pool.close();
    await fixture.log.close();
    await fixture.storage.close();
  });

  it('answers every index, and the ones past either end, byte for byte as the event loop does', async () => {
    const indexes = [-1n, ...Array.from({ length: size }, (_, i) => BigInt(i)), BigInt(size), 1n << 62n];
    // All at once: more lookups than one message carries.
    const remote = await Promise.all(indexes.map((i) => pool.byIndex(i)));
    const local = await Promise.all(indexes.map((i) => fixture.local.byIndex(i)));
    assert.equal(remote[0], null);
    assert.equal(remote.at(-1), null);
    assert.equal(remote.at(-2), null);
    remote.forEach((doc, i) => assert.equal(text(doc), text(local[i] ?? null), `index ${indexes[i]}`));
    const doc = JSON.parse(text(remote[11]) as string) as Record<string, { logIndex: number; attestation?: unknown }>;
    const [entry] = Object.values(doc);
    assert.equal(entry?.logIndex, 10);
    assert.ok(entry?.attestation, 'entry 10 has its attestation');
    assert.ok(text(remote[1])?.endsWith('}\n'), 'a document ends as a GET body does');
  });

  it('answers leaf-hash lookups, in one tree and in all, like the event loop', async () => {
    const treeId = fixture.log.activeShard.treeId;
    const present = pending('main.db entry 123').leafHash;
    const absent = pending('never logged').leafHash;
    for (const [leafHash, tree] of [
      [present, undefined],
      [present, treeId],
      [present, treeId + 1n],
      [absent, undefined],
    ] as const) {
      const remote = await pool.byLeafHash(leafHash, tree);
      const local = await fixture.local.byLeafHash(leafHash, tree);
      assert.deepEqual(remote.map(text), local.map(text));
      assert.equal(remote.length, leafHash === present && tree !== treeId + 1n ? 1 : 0);
    }
  });

  it('sees an entry as soon as its add() has resolved, with a proof that verifies', async () => {
    for (let i = 0; i < 5; i += 1) {
      const entry = pending(`fresh ${i}`);
      const added = await fixture.log.add(entry);
      assert.equal(added.status, 'added');
      if (added.status !== 'added') continue;
      const doc = await pool.byIndex(added.view.globalIndex);
      assert.ok(doc, `entry ${added.view.globalIndex} is readable at once`);
      const [value] = Object.values(JSON.parse(doc.toString('utf8')) as Record<string, { verification: { inclusionProof: { hashes: string[]; treeSize: number; rootHash: string } } }>);
      const proof = value?.verification.inclusionProof;
      assert.ok(proof && proof.treeSize >= Number(added.view.globalIndex) + 1);
      const hashes = proof.hashes.map((h) => Buffer.from(h, 'hex'));
      verifyInclusion(entry.leafHash, added.view.globalIndex, BigInt(proof.treeSize), hashes, Buffer.from(proof.rootHash, 'hex'));
    }
  });

  it('fails the lookups a dying thread held, and answers the next ones from a new thread', async () => {
    const threads = (pool as unknown as { pool: { slots: Array<{ worker: Worker | null }> } }).pool.slots;
    const inFlight = Array.from({ length: 200 }, (_, i) => pool.byIndex(BigInt(i)).then(text, (err: unknown) => err));
    await Promise.all(threads.map((slot) => slot.worker?.terminate()));
    const outcomes = await Promise.all(inFlight);
    assert.ok(outcomes.some((o) => typeof o !== 'string'), 'the batch sent to the dying threads failed');
    for (const [i, outcome] of outcomes.entries()) {
      if (typeof outcome === 'string') assert.equal(outcome, text(await fixture.local.byIndex(BigInt(i))));
      else assert.ok(isRekorError(outcome, 'internal') && /read thread failed/.test(outcome.message), String(outcome));
    }
    assert.equal(text(await pool.byIndex(3n)), text(await fixture.local.byIndex(3n)));
  });
});

describe('ReaderPool errors', () => {
  it('rejects with the error the lookup met in the thread', async () => {
    const fixture = await openLog('broken.db', 300);
    // A database that lost a tile: the proof of entry 0 cannot be built, in any thread.
    const db = new Database(fixture.path);
    db.prepare('DELETE FROM tiles WHERE level = 0 AND idx = 0').run();
    db.close();
    const pool = new ReaderPool(1, { databasePath: fixture.path });
    // A reader of its own: the log's cache already holds the tile.
    const fresh = entryDocuments(new LogReader(fixture.storage, fixture.log.shards));
    try {
      const local = await fresh.byIndex(0n).catch((err: unknown) => err);
      const remote = await pool.byIndex(0n).catch((err: unknown) => err);
      assert.ok(local instanceof Error && /lacks tile 0\/0/.test(local.message), String(local));
      assert.ok(isRekorError(remote, 'internal'), String(remote));
      assert.equal(remote.message, local.message);
      // Other entries are still served by the same thread.
      assert.equal(text(await pool.byIndex(299n)), text(await fresh.byIndex(299n)));
    } finally {
      await pool.close();
      await fixture.log.close();
      await fixture.storage.close();
    }
  });
});
