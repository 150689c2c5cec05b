/**
 * A read thread: its own SQLite connection and LogReader (with its own tile cache), answering
 * batches of entry lookups with finished LogEntry documents. The documents of one batch travel
 * back in one transferred buffer, so the event loop neither copies nor encodes them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isRekorError, type RekorErrorCode } from '../errors.js';
import { LogReader } from '../log/reader.js';
import { entryDocuments } from '../server/entry-documents.js';
import { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';

export interface ReaderData {
  databasePath: string;
}

export type ReadRequest = { id: number; index: bigint } | { id: number; leafHash: Uint8Array; treeId?: bigint };

export type ReadReply = { id: number; documents: Uint8Array[] } | { id: number; error: { code: RekorErrorCode; message: string } };

const port = parentPort;
if (port === null) throw new Error('reader-worker must run in a worker thread');
const data = workerData as ReaderData;
const storage = new SqliteStorage({ path: data.databasePath });
// Shards are fixed for the life of a server process (rotation would restart the threads).
const documents = entryDocuments(new LogReader(storage, await storage.listShards()));

port.on('message', (message: ReadRequest[] | 'close') => {
  if (message === 'close') {
    void storage.close().then(() => port.close());
    return;
  }
  void answer(message).then(({ replies, buffer }) => port.postMessage(replies, [buffer]));
});
port.postMessage('ready');

async function answer(batch: readonly ReadRequest[]): Promise<{ replies: ReadReply[]; buffer: ArrayBuffer }> {
  type Failed = Extract<ReadReply, { error: unknown }>;
  const found: Array<{ id: number; documents: Buffer[] } | Failed> = [];
  let total = 0;
  for (const request of batch) {
    try {
      const docs =
        'index' in request
          ? [await documents.byIndex(request.index)].filter((d): d is Buffer => d !== null)
          : await documents.byLeafHash(request.leafHash, request.treeId);
      for (const doc of docs) total += doc.length;
      found.push({ id: request.id, documents: docs });
    } catch (err) {
      const error = isRekorError(err)
        ? { code: err.code, message: err.message }
        : { code: 'internal' as const, message: err instanceof Error ? err.message : String(err) };
      found.push({ id: request.id, error });
    }
  }
  // One buffer of its own (not a slice of Node's pool), so that it can be transferred.
  const out = Buffer.allocUnsafeSlow(total);
  let at = 0;
  const replies = found.map((reply): ReadReply => {
    if ('error' in reply) return reply;
    return {
      id: reply.id,
      documents: reply.documents.map((doc) => {
        doc.copy(out, at);
        at += doc.length;
        return out.subarray(at - doc.length, at);
      }),
    };
  });
  return { replies, buffer: out.buffer as ArrayBuffer };
}
