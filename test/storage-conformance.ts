/**
 * The storage conformance suite: every driver (SQLite today; PostgreSQL and MySQL later) runs
 * these same tests against a real database. `open` gives a fresh, empty store each time it is
 * called with a new name, and a second connection to the same store when called again with
 * the same name.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EMPTY_ROOT, hashLeaf } from '../src/merkle/index.js';
import { generateSignerKey } from '../src/crypto/index.js';
import { makeSealer, signEmptyHead } from '../src/log/seal.js';
import { shardSigner, type LogStorage, type PendingEntry, type Sealer, type ShardRecord } from '../src/log/index.js';
import { checkLog } from './check-log.js';

export interface ConformanceTarget {
  name: string;
  open(store: string): Promise<LogStorage>;
  cleanup(): Promise<void>;
}

const signer = shardSigner(generateSignerKey().signer);
/** Seals with the key of every newShard(). */
export const seal = makeSealer(signer);

export function pending(text: string, keys: string[] = []): PendingEntry {
  const body = new TextEncoder().encode(text);
  return { body, leafHash: hashLeaf(body), indexKeys: keys };
}

export function newShard(treeId: bigint, state: ShardRecord['state'] = 'active', startIndex = 0n): ShardRecord {
  return {
    treeId,
    origin: `test.example - ${treeId}`,
    signerName: 'test.example',
    state,
    publicKeyDer: signer.publicKeyDer,
    startIndex,
    createdAt: new Date(1_700_000_000_000),
  };
}

export async function createShard(storage: LogStorage, shard: ShardRecord): Promise<void> {
  const checkpoint = signEmptyHead(signer, shard, EMPTY_ROOT);
  await storage.createShard(shard, { treeId: shard.treeId, size: 0n, rootHash: EMPTY_ROOT, checkpoint });
}

export function storageConformance(target: ConformanceTarget): void {
  let n = 0;
  const fresh = async (): Promise<LogStorage> => target.open(`conf${++n}`);

  describe(`storage conformance: ${target.name}`, () => {
    it('creates a shard with an empty, signed head', async () => {
      const storage = await fresh();
      const shard = newShard(42n);
      await createShard(storage, shard);
      assert.deepEqual((await storage.listShards()).map((s) => s.treeId), [42n]);
      const head = await checkLog(storage, shard);
      assert.equal(head.size, 0n);
      await assert.rejects(createShard(storage, shard), 'a second shard with the same tree ID is refused');
      await assert.rejects(createShard(storage, newShard(43n)), 'a second active shard is refused');
      await storage.close();
    });

    it('integrates batches, dedupes within a batch and against the shard', async () => {
      const storage = await fresh();
      const shard = newShard(7n);
      await createShard(storage, shard);
      const first = await storage.integrate(7n, [pending('a'), pending('b'), pending('a')], seal, 100n);
      assert.deepEqual(first.outcomes.map((o) => o.status), ['added', 'added', 'duplicate']);
      const dup = first.outcomes[2];
      assert.ok(dup?.status === 'duplicate' && dup.index === 0n, 'the in-batch duplicate points at the first copy');
      assert.equal(first.head.size, 2n);
      await checkLog(storage, shard);

      const second = await storage.integrate(7n, [pending('b'), pending('c')], seal, 101n);
      assert.deepEqual(second.outcomes.map((o) => o.status), ['duplicate', 'added']);
      const added = second.outcomes[1];
      assert.ok(added?.status === 'added' && added.entry.index === 2n && added.entry.integratedTime === 101n);
      await checkLog(storage, shard);

      const onlyDups = await storage.integrate(7n, [pending('c')], seal, 102n);
      assert.equal(onlyDups.head.size, 3n, 'a batch of duplicates leaves the head alone');
      assert.deepEqual(onlyDups.tiles, []);
      await storage.close();
    });

    it('keeps tiles right across many tile boundaries', async () => {
      const storage = await fresh();
      const shard = newShard(9n);
      await createShard(storage, shard);
      const sizes = [1, 254, 1, 1, 300, 256, 513, 3];
      let k = 0;
      for (const size of sizes) {
        const batch = Array.from({ length: size }, () => pending(`leaf ${k++}`));
        await storage.integrate(9n, batch, seal, 200n);
      }
      const head = await checkLog(storage, shard);
      assert.equal(head.size, BigInt(k));
      await storage.close();
    });

    it('rolls back a batch whose sealing fails, writing nothing', async () => {
      const storage = await fresh();
      const shard = newShard(11n);
      await createShard(storage, shard);
      await storage.integrate(11n, [pending('kept')], seal, 1n);
      const failing: Sealer = () => {
        throw new Error('signer unavailable');
      };
      await assert.rejects(storage.integrate(11n, [pending('lost 1'), pending('lost 2')], failing, 2n), /signer unavailable/);
      const head = await checkLog(storage, shard);
      assert.equal(head.size, 1n);
      assert.deepEqual(await storage.entriesByLeafHash(pending('lost 1').leafHash), []);
      assert.equal((await storage.searchIndex(['never'])).get('never')?.length, 0);
      const after = await storage.integrate(11n, [pending('lost 1')], seal, 3n);
      assert.equal(after.outcomes[0]?.status, 'added', 'the rolled-back entry can be added later');
      await checkLog(storage, shard);
      await storage.close();
    });

    it('writes index keys with the entry and finds them', async () => {
      const storage = await fresh();
      const shard = newShard(13n);
      await createShard(storage, shard);
      await storage.integrate(13n, [pending('x', ['sha256:aa', 'alice@example.com']), pending('y', ['sha256:aa'])], seal, 1n);
      const hits = await storage.searchIndex(['sha256:aa', 'alice@example.com', 'nobody']);
      assert.equal(hits.get('sha256:aa')?.length, 2);
      assert.deepEqual(hits.get('alice@example.com')?.map((h) => Buffer.from(h.leafHash).toString('hex')), [
        Buffer.from(pending('x').leafHash).toString('hex'),
      ]);
      assert.deepEqual(hits.get('nobody'), []);
      await storage.close();
    });

    it('stores a checkpoint per integrated size', async () => {
      const storage = await fresh();
      const shard = newShard(15n);
      await createShard(storage, shard);
      await storage.integrate(15n, [pending('1'), pending('2')], seal, 1n);
      await storage.integrate(15n, [pending('3')], seal, 1n);
      const at2 = await storage.checkpointAt(15n, 2n);
      assert.ok(at2 && at2.size === 2n && at2.checkpoint.includes('\n2\n'));
      assert.equal(await storage.checkpointAt(15n, 1n), null);
      assert.equal((await storage.head(15n))?.size, 3n);
      await storage.close();
    });

    it('serializes two connections writing to one store', async () => {
      const name = `race${++n}`;
      const a = await target.open(name);
      const b = await target.open(name);
      const shard = newShard(17n);
      await createShard(a, shard);
      const writes: Array<Promise<unknown>> = [];
      for (let i = 0; i < 20; i++) {
        writes.push(a.integrate(17n, [pending(`a${i}`), pending(`shared${i % 5}`)], seal, 1n));
        writes.push(b.integrate(17n, [pending(`b${i}`), pending(`shared${i % 5}`)], seal, 1n));
      }
      await Promise.all(writes);
      const head = await checkLog(b, shard);
      assert.equal(head.size, 45n, '20 + 20 distinct entries and 5 shared ones, each once');
      await a.close();
      await b.close();
    });

    it('refuses to integrate into a frozen shard', async () => {
      const storage = await fresh();
      await createShard(storage, newShard(19n, 'frozen'));
      await assert.rejects(storage.integrate(19n, [pending('x')], seal, 1n), /frozen/);
      await storage.close();
    });
  });
}
