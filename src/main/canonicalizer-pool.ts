/**
 * A pool of verification threads (canonicalizer-worker.ts). Each request goes to the thread with
 * the fewest outstanding requests. A thread that dies fails its outstanding requests with an
 * internal error and is replaced on the next request.
 */
import { Worker } from 'node:worker_threads';
import { RekorError, type RekorErrorCode, type RekorErrorDetail } from '../errors.js';
import type { Canonicalize } from '../server/index.js';
import type { CanonicalEntry } from '../types/index.js';
import type { CanonicalizerData, CanonicalizeRequest } from './canonicalizer-worker.js';

interface Reply {
  id: number;
  entry?: CanonicalEntry;
  error?: { code: RekorErrorCode; message: string; detail: RekorErrorDetail };
}

interface Slot {
  worker: Worker | null;
  waiting: Map<number, { resolve: (e: CanonicalEntry) => void; reject: (e: Error) => void }>;
}

export class CanonicalizerPool {
  private readonly slots: Slot[];
  private nextId = 1;

  constructor(
    size: number,
    private readonly data: CanonicalizerData,
  ) {
    this.slots = Array.from({ length: size }, () => ({ worker: null, waiting: new Map() }));
  }

  readonly canonicalize: Canonicalize = (kind, apiVersion, spec) => {
    const slot = this.slots.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
    const worker = slot.worker ?? this.start(slot);
    const id = this.nextId++;
    return new Promise<CanonicalEntry>((resolve, reject) => {
      slot.waiting.set(id, { resolve, reject });
      const request: CanonicalizeRequest = { id, kind, apiVersion, spec };
      worker.postMessage(request);
    });
  };

  async close(): Promise<void> {
    await Promise.all(this.slots.map(async (slot) => slot.worker?.terminate()));
  }

  private start(slot: Slot): Worker {
    const worker = new Worker(new URL('./canonicalizer-worker.js', import.meta.url), { workerData: this.data });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const waiting = slot.waiting.get(reply.id);
      if (waiting === undefined) return;
      slot.waiting.delete(reply.id);
      if (reply.error !== undefined) {
        waiting.reject(new RekorError(reply.error.code, reply.error.message, { detail: reply.error.detail }));
      } else {
        waiting.resolve(reply.entry as CanonicalEntry);
      }
    });
    const fail = (err: Error): void => {
      if (slot.worker === worker) slot.worker = null;
      for (const [id, waiting] of slot.waiting) {
        slot.waiting.delete(id);
        waiting.reject(new RekorError('internal', `verification thread failed: ${err.message}`, { cause: err }));
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
    slot.worker = worker;
    return worker;
  }
}
