/**
 * The SQLite writer thread. It owns a write connection and the signing key, and runs each batch
 * through SqliteStorage.integrate (one transaction, sealed here), so the commit's fsync and the
 * signing happen beside the event loop instead of on it. Messages are handled one at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { signerFromPem } from '../../crypto/index.js';
import { makeSealer } from '../../log/seal.js';
import { shardSigner, type PendingEntry } from '../../log/index.js';
import { SqliteStorage } from './sqlite-storage.js';

export interface WriterData {
  path: string;
  signerPem: string;
  signerPassword?: string;
}

export interface WriterRequest {
  id: number;
  treeId: bigint;
  batch: PendingEntry[];
  integratedTime: bigint;
}

const port = parentPort;
if (port === null) throw new Error('writer-worker must run in a worker thread');
const data = workerData as WriterData;
const storage = new SqliteStorage({ path: data.path });
const seal = makeSealer(shardSigner(signerFromPem(data.signerPem, data.signerPassword)));

let queue = Promise.resolve();
port.on('message', (request: WriterRequest | 'close') => {
  if (request === 'close') {
    queue = queue.then(async () => {
      await storage.close();
      port.close();
    });
    return;
  }
  queue = queue.then(async () => {
    try {
      const result = await storage.integrate(request.treeId, request.batch, seal, request.integratedTime);
      port.postMessage({ id: request.id, result });
    } catch (err) {
      port.postMessage({ id: request.id, error: err instanceof Error ? err.message : String(err) });
    }
  });
});
