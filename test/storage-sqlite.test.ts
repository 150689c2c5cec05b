import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { SqliteStorage } from '../src/storage/sqlite/index.js';
import { createShard, newShard, pending, seal, storageConformance } from './storage-conformance.js';

const dir = mkdtempSync(join(tmpdir(), 'rekor-ts-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));

storageConformance({
  name: 'sqlite',
  open: async (store) => new SqliteStorage({ path: join(dir, `${store}.db`) }),
  cleanup: async () => rmSync(dir, { recursive: true, force: true }),
});

describe('SqliteStorage idle checkpoint', () => {
  /** What the database file alone holds: a copy of it without its WAL, opened on its own. */
  function entriesInFileAlone(path: string): number {
    const copy = join(dir, `copy-${Math.random().toString(16).slice(2)}.db`);
    copyFileSync(path, copy);
    const db = new Database(copy, { readonly: true });
    try {
      return Number((db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n);
    } finally {
      db.close();
    }
  }

  for (const idleCheckpointMs of [50, 0]) {
    it(`${idleCheckpointMs === 0 ? 'leaves' : 'copies'} the WAL ${idleCheckpointMs === 0 ? 'alone when turned off' : 'into the database file once writes pause'}`, async () => {
      const path = join(dir, `idle-${idleCheckpointMs}.db`);
      const storage = new SqliteStorage({ path, idleCheckpointMs });
      try {
        await createShard(storage, newShard(31n));
        // The schema and the shard into the file, so that the file alone can be opened.
        const other = new Database(path);
        other.pragma('wal_checkpoint(TRUNCATE)');
        other.close();
        for (let i = 0; i < 5; i += 1) await storage.integrate(31n, [pending(`idle ${idleCheckpointMs} ${i}`)], seal, 1n);
        assert.equal(entriesInFileAlone(path), 0, 'right after the writes, the entries are only in the WAL');
        await setTimeout(300);
        assert.equal(entriesInFileAlone(path), idleCheckpointMs === 0 ? 0 : 5);
      } finally {
        await storage.close();
      }
    });
  }
});

describe('SqliteStorage reads', () => {
  it('reads each entry with the head current at the time, on a connection that did not write it', async () => {
    const path = join(dir, 'heads.db');
    const writer = new SqliteStorage({ path });
    const reader = new SqliteStorage({ path });
    try {
      await createShard(writer, newShard(41n));
      await writer.integrate(41n, [pending('heads 0'), pending('heads 1')], seal, 1n);
      for (let round = 2; round < 6; round += 1) {
        const before = await reader.entryByIndex(41n, 0n);
        await writer.integrate(41n, [pending(`heads ${round}`)], seal, 1n);
        const after = await reader.entryByIndex(41n, 0n);
        const head = await writer.head(41n);
        assert.equal(before?.head.size, BigInt(round));
        assert.equal(after?.head.size, BigInt(round + 1));
        assert.equal(after?.head.checkpoint, head?.checkpoint);
        assert.deepEqual(Buffer.from(after?.head.rootHash ?? []), Buffer.from(head?.rootHash ?? []));
        const [byLeaf] = await reader.entriesByLeafHash(pending('heads 1').leafHash);
        assert.equal(byLeaf?.head.checkpoint, head?.checkpoint);
      }
    } finally {
      await reader.close();
      await writer.close();
    }
  });
});
