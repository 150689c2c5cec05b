/**
 * Read threads (reader-worker.ts) that answer entry lookups with finished documents, so that a
 * read costs the event loop little more than its HTTP. Batching and thread failures are the
 * ThreadPool's; the documents of a batch arrive in one transferred buffer.
 */
import type { EntryDocuments } from '../server/index.js';
import type { ReadRequest, ReaderData } from './reader-worker.js';
import { ThreadPool } from './thread-pool.js';

export class ReaderPool implements EntryDocuments {
  private readonly pool: ThreadPool<ReadRequest, Uint8Array[]>;

  constructor(size: number, data: ReaderData) {
    this.pool = new ThreadPool('read', size, new URL('./reader-worker.js', import.meta.url), data);
  }

  /** Starts every thread and resolves once each has opened the database. */
  start(): Promise<void> {
    return this.pool.start();
  }

  async byIndex(globalIndex: bigint): Promise<Buffer | null> {
    if (globalIndex < 0n) return null;
    const [document] = await this.lookup({ index: globalIndex });
    return document ?? null;
  }

  byLeafHash(leafHash: Uint8Array, treeId?: bigint): Promise<Buffer[]> {
    return this.lookup(treeId === undefined ? { leafHash } : { leafHash, treeId });
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async lookup(request: ReadRequest): Promise<Buffer[]> {
    const documents = await this.pool.run(request);
    return documents.map((d) => Buffer.from(d.buffer, d.byteOffset, d.byteLength));
  }
}
