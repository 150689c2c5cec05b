/**
 * MergingIntegrator, the primary's writer under --workers: batches that arrive while one commits
 * are integrated together in the next transaction, and every caller still gets exactly its own
 * outcomes. Runs against a real SQLite database.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { type IntegrationOutcome, type IntegrationResult, type Integrator, type PendingEntry } from '../src/log/index.js';
import { MergingIntegrator } from '../src/main/shared-writer.js';
import { SqliteStorage } from '../src/storage/sqlite/index.js';
import { checkLog } from './check-log.js';
import { createShard, newShard, pending, seal } from './storage-conformance.js';

const dir = mkdtempSync(join(tmpdir(), 'rekor-ts-merging-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let databases = 0;

/** A real SQLite writer whose calls are recorded, and whose first call waits for `release`. */
async function gatedWriter(options: { fail?: (call: number) => boolean } = {}) {
  const storage = new SqliteStorage({ path: join(dir, `merge${++databases}.db`) });
  const calls: Array<{ treeId: bigint; size: number; integratedTime: bigint }> = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const writer: Integrator = {
    async integrate(treeId, batch, integratedTime): Promise<IntegrationResult> {
      const call = calls.push({ treeId, size: batch.length, integratedTime });
      if (call === 1) await gate;
      if (options.fail?.(call) === true) throw new Error(`transaction ${call} failed`);
      return storage.integrate(treeId, batch, seal, integratedTime);
    },
    close: () => storage.close(),
  };
  return { storage, writer, calls, release };
}

const where = (o: IntegrationOutcome): string => `${o.status} ${o.status === 'added' ? o.entry.index : o.index}`;

const added = (result: IntegrationResult): bigint[] =>
  result.outcomes.map((o) => {
    assert.equal(o.status, 'added');
    return o.status === 'added' ? o.entry.index : -1n;
  });

it('merges the batches that wait into one transaction and hands each caller its own outcomes', async () => {
  const { storage, writer, calls, release } = await gatedWriter();
  const shard = newShard(21n);
  await createShard(storage, shard);
  const merging = new MergingIntegrator(writer);

  const first = merging.integrate(21n, [pending('a'), pending('b')], 10n);
  const batches: PendingEntry[][] = [
    [pending('c'), pending('d'), pending('e')],
    [pending('f'), pending('c')], // 'c' is also in the batch before: the merged one holds it once
    [pending('a'), pending('g')], // 'a' committed in the first transaction
  ];
  const waiting = batches.map((batch, i) => merging.integrate(21n, batch, 11n + BigInt(i)));
  release();
  const [r1, r2, r3, r4] = (await Promise.all([first, ...waiting])) as [IntegrationResult, IntegrationResult, IntegrationResult, IntegrationResult];

  assert.deepEqual(calls, [
    { treeId: 21n, size: 2, integratedTime: 10n },
    { treeId: 21n, size: 7, integratedTime: 13n },
  ]);
  assert.deepEqual(added(r1), [0n, 1n]);
  assert.deepEqual(added(r2), [2n, 3n, 4n]);
  assert.equal(r3.outcomes.length, 2);
  assert.deepEqual(r3.outcomes.map(where), ['added 5', 'duplicate 2']);
  assert.deepEqual(r4.outcomes.map(where), ['duplicate 0', 'added 6']);
  // Every caller of the merged transaction sees the same head, which includes all of it.
  for (const r of [r2, r3, r4]) assert.equal(r.head.size, 7n);
  assert.equal((await checkLog(storage, shard)).size, 7n);
  await merging.close();
});

it('fails every batch of a failed transaction, commits none of them, and goes on', async () => {
  const { storage, writer, calls, release } = await gatedWriter({ fail: (call) => call === 2 });
  const shard = newShard(22n);
  await createShard(storage, shard);
  const merging = new MergingIntegrator(writer);

  const first = merging.integrate(22n, [pending('kept')], 1n);
  const lost = [merging.integrate(22n, [pending('lost 1')], 2n), merging.integrate(22n, [pending('lost 2')], 2n)];
  release();
  assert.deepEqual(added(await first), [0n]);
  for (const batch of lost) await assert.rejects(batch, /transaction 2 failed/);
  assert.equal(calls.length, 2);
  assert.deepEqual(await storage.entriesByLeafHash(pending('lost 1').leafHash), []);

  assert.deepEqual(added(await merging.integrate(22n, [pending('lost 1')], 3n)), [1n]);
  assert.equal((await checkLog(storage, shard)).size, 2n);
  await merging.close();
});

it('never merges batches for different trees', async () => {
  const { storage, writer, calls, release } = await gatedWriter();
  await createShard(storage, newShard(23n));
  const merging = new MergingIntegrator(writer);

  const first = merging.integrate(23n, [pending('x')], 1n);
  // Tree 24 does not exist: its transaction fails on its own, and tree 23's batches are unharmed.
  const other = merging.integrate(24n, [pending('y')], 1n);
  const same = merging.integrate(23n, [pending('z')], 1n);
  release();
  assert.deepEqual(added(await first), [0n]);
  assert.deepEqual(added(await same), [1n]);
  await assert.rejects(other);
  // In arrival order, one transaction per tree.
  assert.deepEqual(
    calls.map((c) => [c.treeId, c.size]),
    [
      [23n, 1],
      [24n, 1],
      [23n, 1],
    ],
  );
  await merging.close();
});
