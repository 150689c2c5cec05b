/**
 * A read thread: its own SQLite connection and LogReader (with its own tile cache), answering
 * batches of entry lookups with finished LogEntry documents. The documents of one batch travel
 * back in one transferred buffer, so the event loop neither copies nor encodes them.
 */
import { workerData } from 'node:worker_threads';
import { LogReader } from '../log/reader.js';
import { entryJson } from '../server/entry-documents.js';
import { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { errorData, serveBatches, type Outcome } from './thread-pool.js';

export interface ReaderData {
  databasePath: string;
}

export type ReadRequest = { index: bigint } | { leafHash: Uint8Array; treeId?: bigint };

const data = workerData as ReaderData;
const storage = new SqliteStorage({ path: data.databasePath });
// Shards are fixed for the life of a server process (rotation would restart the threads).
const documents = entryJson(new LogReader(storage, await storage.listShards()));

serveBatches<ReadRequest, Uint8Array[]>(async (requests) => {
  const found: Array<Outcome<string[]>> = [];
  let total = 0;
  for (const request of requests) {
    try {
      const docs =
        'index' in request
          ? [await documents.byIndex(request.index)].filter((d): d is string => d !== null)
          : await documents.byLeafHash(request.leafHash, request.treeId);
      for (const doc of docs) total += Buffer.byteLength(doc);
      found.push({ value: docs });
    } catch (err) {
      found.push({ error: errorData(err) });
    }
  }
  // One buffer of its own (not a slice of Node's pool), so that it can be transferred; each
  // document is encoded straight into it.
  const out = Buffer.allocUnsafeSlow(total);
  let at = 0;
  const outcomes = found.map((outcome): Outcome<Uint8Array[]> => {
    if ('error' in outcome) return outcome;
    const views = outcome.value.map((doc) => {
      const start = at;
      at += out.write(doc, at);
      return out.subarray(start, at);
    });
    return { value: views };
  });
  return { outcomes, transfer: [out.buffer as ArrayBuffer] };
}, () => storage.close());
