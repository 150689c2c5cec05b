/**
 * Several server processes on one database (`--workers 2`): both send their batches to the
 * primary's one writer, so concurrent writers through both processes must produce one
 * consistent tree with every acknowledged entry at a distinct index.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { SqliteStorage } from '../src/storage/sqlite/index.js';
import { checkLog } from './check-log.js';
import { hashedRekord } from './entries.js';
import { startServerProcess } from './server-process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'rekor-ts-workers-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

it('two worker processes integrate into one consistent tree', { timeout: 120_000 }, async () => {
  const server = await startServerProcess({ dataDir, args: ['--workers', '2', '--batch-size', '16'] });
  const indices: number[] = [];
  try {
    const writer = async (): Promise<void> => {
      for (let i = 0; i < 40; i++) {
        // A fresh connection per request, so the kernel spreads them over both workers.
        const response = await fetch(`${server.url}/api/v1/log/entries`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Connection: 'close' },
          body: JSON.stringify(hashedRekord()),
        });
        assert.equal(response.status, 201, await response.clone().text());
        const entry = Object.values((await response.json()) as Record<string, { logIndex: number }>)[0];
        indices.push(entry?.logIndex ?? -1);
      }
    };
    await Promise.all(Array.from({ length: 8 }, writer));
  } finally {
    assert.equal(await server.stop(), 0, server.stderr());
  }
  assert.deepEqual(
    [...indices].sort((a, b) => a - b),
    Array.from({ length: 320 }, (_, i) => i),
    'every acknowledged entry has its own index',
  );
  const storage = new SqliteStorage({ path: join(dataDir, 'rekor.db') });
  try {
    const [shard] = await storage.listShards();
    assert.ok(shard);
    assert.equal((await checkLog(storage, shard)).size, 320n);
  } finally {
    await storage.close();
  }
});
