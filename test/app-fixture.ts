/** A real app (SQLite in a temp dir, real keys) for inject() tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { generateSignerKey } from '../src/crypto/index.js';
import { TransparencyLog, shardSigner, type Integrator, type SequencerOptions } from '../src/log/index.js';
import { makeSealer } from '../src/log/seal.js';
import { buildApp, type FetchUrl } from '../src/server/index.js';
import { SqliteStorage } from '../src/storage/sqlite/index.js';
import { defaultRegistry, defaultTypeContext, publicKeySearchKey, SEARCH_KEY_FORMATS } from '../src/types/index.js';

export interface AppFixture {
  app: FastifyInstance;
  log: TransparencyLog;
  storage: SqliteStorage;
  close(): Promise<void>;
}

export interface AppFixtureOptions {
  maxRequestBodySize?: number;
  maxAttestationSize?: number;
  sequencer?: SequencerOptions;
  /** Wraps the default integrator, e.g. to hold batches back. */
  wrapIntegrator?: (inner: Integrator) => Integrator;
  /** Resolves entries' `url` fields (the server's --allow-url-fetch); default: refused. */
  fetchUrl?: FetchUrl;
}

export async function appFixture(options: AppFixtureOptions = {}): Promise<AppFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'rekor-ts-app-'));
  const storage = new SqliteStorage({ path: join(dir, 'rekor.db') });
  const signer = shardSigner(generateSignerKey().signer);
  const seal = makeSealer(signer);
  const inner: Integrator = {
    integrate: (treeId, batch, time) => storage.integrate(treeId, batch, seal, time),
    close: async () => {},
  };
  const log = await TransparencyLog.open({
    storage,
    signer,
    hostname: 'rekor.test',
    sequencer: options.sequencer ?? { maxBatchSize: 64, maxBatchAgeMs: 0, maxPending: 1024 },
    integrator: options.wrapIntegrator?.(inner) ?? inner,
  });
  const registry = defaultRegistry({});
  const typeContext = defaultTypeContext();
  const app = await buildApp({
    log,
    canonicalize: (kind, apiVersion, spec) => registry.canonicalizeProposed(kind, apiVersion, spec, typeContext),
    limits: { maxRequestBodySize: options.maxRequestBodySize ?? 1 << 20, maxAttestationSize: options.maxAttestationSize ?? 102_400 },
    publicKeySearchKey,
    searchKeyFormats: SEARCH_KEY_FORMATS,
    ...(options.fetchUrl === undefined ? {} : { fetchUrl: options.fetchUrl }),
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
