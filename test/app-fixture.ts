/** A real app (SQLite in a temp dir, real keys) for inject() tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { generateSignerKey } from '../src/crypto/index.js';
import { TransparencyLog, shardSigner } from '../src/log/index.js';
import { buildApp } from '../src/server/index.js';
import { SqliteStorage } from '../src/storage/sqlite/index.js';
import { defaultRegistry, defaultTypeContext, publicKeySearchKey, SEARCH_KEY_FORMATS } from '../src/types/index.js';

export interface AppFixture {
  app: FastifyInstance;
  log: TransparencyLog;
  storage: SqliteStorage;
  close(): Promise<void>;
}

export async function appFixture(options: { maxRequestBodySize?: number } = {}): Promise<AppFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'rekor-ts-app-'));
  const storage = new SqliteStorage({ path: join(dir, 'rekor.db') });
  const log = await TransparencyLog.open({
    storage,
    signer: shardSigner(generateSignerKey().signer),
    hostname: 'rekor.test',
    sequencer: { maxBatchSize: 64, maxBatchAgeMs: 0, maxPending: 1024 },
  });
  const app = await buildApp({
    log,
    registry: defaultRegistry({}),
    typeContext: defaultTypeContext(),
    limits: { maxRequestBodySize: options.maxRequestBodySize ?? 1 << 20 },
    publicKeySearchKey,
    searchKeyFormats: SEARCH_KEY_FORMATS,
  });
  return {
    app,
    log,
    storage,
    async close() {
      await app.close();
      await log.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const JSON_HEADERS = { 'content-type': 'application/json' };
