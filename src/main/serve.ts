/**
 * The composition root of `rekor-server serve`: builds storage, signer, log, entry kinds and
 * the HTTP app from a resolved ServerConfig, listens, and shuts down cleanly on SIGTERM/SIGINT
 * (stop accepting, integrate what is queued, close the database).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { TransparencyLog, shardSigner, type Integrator } from '../log/index.js';
import { buildApp, urlFetcher } from '../server/index.js';
import { SqliteStorage, SqliteWriterThread } from '../storage/sqlite/index.js';
import { defaultRegistry, defaultTypeContext, publicKeySearchKey, SEARCH_KEY_FORMATS, type TypeContextOptions } from '../types/index.js';
import type { ServerConfig } from './config.js';
import { CanonicalizerPool } from './canonicalizer-pool.js';
import { ReaderPool } from './reader-pool.js';
import { loadOrCreateSigner } from './signer-file.js';

export const DATABASE_FILE = 'rekor.db';

export interface RunningServer {
  app: FastifyInstance;
  log: TransparencyLog;
  url: string;
  close(): Promise<void>;
}

export interface ServerHooks {
  /** Where batches are integrated; default: a writer thread of this process's own. */
  integrator?: Integrator;
}

export async function startServer(config: ServerConfig, hooks: ServerHooks = {}): Promise<RunningServer> {
  const logger = pino({ level: config.logLevel });
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const databasePath = join(config.dataDir, DATABASE_FILE);
  const storage = new SqliteStorage({ path: databasePath });
  let readers: ReaderPool | undefined;
  try {
    const logExists = (await storage.listShards()).length > 0;
    const { signer, privateKeyPem, created, path } = loadOrCreateSigner({
      dataDir: config.dataDir,
      signerPath: config.signer,
      password: config.signerPassword,
      logExists,
    });
    if (created) logger.info({ path }, 'created a new signing key');
    const log = await TransparencyLog.open({
      storage,
      signer: shardSigner(signer),
      hostname: config.hostname,
      integrator: hooks.integrator ?? writerThread(config, privateKeyPem),
      sequencer: {
        maxBatchSize: config.batchSize,
        maxBatchAgeMs: config.batchAgeMs,
        maxPending: config.maxPending,
        // One batch commits in the writer thread while the next one travels to it.
        maxConcurrentFlushes: 2,
      },
    });
    const kindOptions = config.enabledEntryTypes === undefined ? {} : { enabledKinds: config.enabledEntryTypes };
    const registry = defaultRegistry(kindOptions);
    const typeContextOptions = typeContextOptionsOf(config);
    const typeContext = defaultTypeContext(typeContextOptions);
    const pool = config.verifyThreads > 0 ? new CanonicalizerPool(config.verifyThreads, { ...kindOptions, typeContext: typeContextOptions }) : undefined;
    readers = config.readThreads > 0 ? new ReaderPool(config.readThreads, { databasePath }) : undefined;
    await readers?.start();
    const fetchUrl =
      config.allowUrlFetch === undefined || config.allowUrlFetch.length === 0
        ? undefined
        : urlFetcher({ allowedHosts: config.allowUrlFetch, maxBytes: config.urlFetchMaxSize, timeoutMs: config.urlFetchTimeoutMs });
    const app = await buildApp({
      log,
      ...(readers === undefined ? {} : { entries: readers }),
      canonicalize: pool?.canonicalize ?? ((kind, apiVersion, spec) => registry.canonicalizeProposed(kind, apiVersion, spec, typeContext)),
      limits: { maxRequestBodySize: config.maxRequestBodySize, maxAttestationSize: config.maxAttestationSize },
      publicKeySearchKey,
      searchKeyFormats: SEARCH_KEY_FORMATS,
      ...(fetchUrl === undefined ? {} : { fetchUrl }),
      logger,
    });
    await app.listen({ port: config.port, host: config.address });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const url = `http://${config.address.includes(':') ? `[${config.address}]` : config.address}:${port}`;
    logger.info({ url, treeID: String(log.activeShard.treeId), origin: log.activeShard.origin }, 'rekor-ts server listening');
    let closing: Promise<void> | undefined;
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        await app.close();
        await log.close();
        await pool?.close();
        await readers?.close();
        await storage.close();
      })());
    return { app, log, url, close };
  } catch (err) {
    await readers?.close();
    await storage.close();
    throw err;
  }
}

function writerThread(config: ServerConfig, signerPem: string): SqliteWriterThread {
  return new SqliteWriterThread({
    path: join(config.dataDir, DATABASE_FILE),
    signerPem,
    ...(config.signerPassword === undefined ? {} : { signerPassword: config.signerPassword }),
  });
}

/**
 * The writer thread alone, for the primary of `--workers N` (see shared-writer.ts). The data
 * dir must already hold the log and its key: startServer made them.
 */
export function openSharedWriter(config: ServerConfig): SqliteWriterThread {
  const { privateKeyPem } = loadOrCreateSigner({
    dataDir: config.dataDir,
    signerPath: config.signer,
    password: config.signerPassword,
    logExists: true,
  });
  return writerThread(config, privateKeyPem);
}

/** The entry kinds' policy from the configuration, as plain data (it also travels to threads). */
function typeContextOptionsOf(config: ServerConfig): TypeContextOptions {
  return {
    ...(config.clientSigningAlgorithms === undefined ? {} : { signingAlgorithms: config.clientSigningAlgorithms }),
    limits: { maxApkMetadataSize: config.maxApkMetadataSize, maxJarMetadataSize: config.maxJarMetadataSize },
  };
}
