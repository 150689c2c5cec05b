/**
 * Read threads (reader-worker.ts) that answer entry lookups with finished documents, so that a
 * read costs the event loop little more than its HTTP. Lookups are gathered for one turn of the
 * event loop (every request its poll phase parsed) and shared among the idle threads; those that
 * arrive while every thread is busy go out when one answers. Under load one message then carries
 * many lookups each way, where a message per lookup would cost more than the lookup (each wakes a
 * sleeping thread), and an idle server still answers a lone lookup at once. A thread that dies
 * fails the batch it held with an internal error and is replaced.
 */
import { Worker } from 'node:worker_threads';
import { RekorError } from '../errors.js';
import type { EntryDocuments } from '../server/index.js';
import type { ReadReply, ReadRequest, ReaderData } from './reader-worker.js';

/** Most lookups in one message: bounds one batch's latency and its buffer. */
const MAX_BATCH = 256;

interface Waiting {
  resolve: (documents: Buffer[]) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker | null;
  /** The IDs of the batch sent and not yet answered (the thread is busy while there is one). */
  sent: number[];
}

export class ReaderPool implements EntryDocuments {
  private readonly slots: Slot[];
  private readonly waiting = new Map<number, Waiting>();
  private queue: ReadRequest[] = [];
  private flushScheduled = false;
  private nextId = 1;

  constructor(
    size: number,
    private readonly data: ReaderData,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError('a reader pool needs at least one thread');
    this.slots = Array.from({ length: size }, () => ({ worker: null, sent: [] }));
  }

  /** Starts every thread and resolves once each has opened the database. */
  async start(): Promise<void> {
    await Promise.all(
      this.slots.map(
        (slot) =>
          new Promise<void>((resolve, reject) => {
            const worker = slot.worker ?? this.spawn(slot);
            worker.ref(); // nothing else may hold the event loop open yet
            const ready = (message: unknown): void => {
              if (message !== 'ready') return;
              worker.off('message', ready).off('exit', exited).unref();
              resolve();
            };
            const exited = (code: number): void => reject(new Error(`a read thread exited with code ${code} while starting`));
            worker.on('message', ready).once('exit', exited);
          }),
      ),
    );
  }

  async byIndex(globalIndex: bigint): Promise<Buffer | null> {
    if (globalIndex < 0n) return null;
    const [document] = await this.lookup({ id: this.nextId++, index: globalIndex });
    return document ?? null;
  }

  byLeafHash(leafHash: Uint8Array, treeId?: bigint): Promise<Buffer[]> {
    const id = this.nextId++;
    return this.lookup(treeId === undefined ? { id, leafHash } : { id, leafHash, treeId });
  }

  async close(): Promise<void> {
    await Promise.all(
      this.slots.map(async (slot) => {
        const worker = slot.worker;
        if (worker === null) return;
        slot.worker = null;
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        worker.ref(); // wait for it even when nothing else holds the event loop open
        worker.postMessage('close');
        await exited;
      }),
    );
  }

  private lookup(request: ReadRequest): Promise<Buffer[]> {
    return new Promise<Buffer[]>((resolve, reject) => {
      this.waiting.set(request.id, { resolve, reject });
      this.queue.push(request);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => {
          this.flushScheduled = false;
          this.flush();
        });
      }
    });
  }

  /** Shares the queue among the idle threads, at most MAX_BATCH lookups each. */
  private flush(): void {
    const idle = this.slots.filter((s) => s.sent.length === 0);
    for (const [i, slot] of idle.entries()) {
      if (this.queue.length === 0) return;
      const share = Math.min(MAX_BATCH, Math.ceil(this.queue.length / (idle.length - i)));
      const batch = this.queue.splice(0, share);
      slot.sent = batch.map((r) => r.id);
      // A thread with lookups outstanding holds the event loop open, as a socket with I/O does.
      const worker = slot.worker ?? this.spawn(slot);
      worker.ref();
      worker.postMessage(batch);
    }
  }

  private spawn(slot: Slot): Worker {
    const worker = new Worker(new URL('./reader-worker.js', import.meta.url), { workerData: this.data });
    worker.unref();
    worker.on('message', (replies: ReadReply[] | 'ready') => {
      if (replies === 'ready') return;
      for (const reply of replies) {
        const waiting = this.waiting.get(reply.id);
        if (waiting === undefined) continue;
        this.waiting.delete(reply.id);
        if ('error' in reply) waiting.reject(new RekorError(reply.error.code, reply.error.message));
        else waiting.resolve(reply.documents.map((d) => Buffer.from(d.buffer, d.byteOffset, d.byteLength)));
      }
      slot.sent = [];
      worker.unref();
      this.flush();
    });
    const fail = (err: Error): void => {
      if (slot.worker !== worker) return;
      slot.worker = null;
      // The batch this thread held is lost with it; what is still queued goes to its successor.
      for (const id of slot.sent) {
        this.waiting.get(id)?.reject(new RekorError('internal', `read thread failed: ${err.message}`, { cause: err }));
        this.waiting.delete(id);
      }
      slot.sent = [];
      this.flush();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
    slot.worker = worker;
    return worker;
  }
}
