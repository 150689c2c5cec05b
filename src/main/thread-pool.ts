/**
 * A pool of worker threads that take requests in batches. Requests are gathered for one turn of
 * the event loop (every request its poll phase parsed) and shared among the idle threads; those
 * that arrive while every thread is busy go out when one answers. A round trip to a thread costs
 * tens of µs of CPU on these machines (each message wakes a sleeping thread), more than a proof
 * read, so under load one message carries many requests each way, while an idle server still
 * sends a lone request at once. A thread that dies fails the batch it held with an internal
 * error and is replaced. The thread side is serveBatches() or serveEach(), below.
 */
import { parentPort, Worker } from 'node:worker_threads';
import { isRekorError, RekorError, type RekorErrorCode, type RekorErrorDetail } from '../errors.js';

/** Most requests in one message: bounds one batch's latency and its size. */
const MAX_BATCH = 256;

export interface ErrorData {
  code: RekorErrorCode;
  message: string;
  detail: RekorErrorDetail;
}

export type Outcome<T> = { value: T } | { error: ErrorData };

interface Batch<Req> {
  ids: number[];
  requests: Req[];
}

interface Answer<Res> {
  ids: number[];
  outcomes: Array<Outcome<Res>>;
}

interface Waiting<Res> {
  resolve: (value: Res) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker | null;
  /** The IDs of the batch sent and not yet answered (the thread is busy while there is one). */
  sent: number[];
}

export class ThreadPool<Req, Res> {
  private readonly slots: Slot[];
  private readonly waiting = new Map<number, Waiting<Res>>();
  private queue: Array<{ id: number; request: Req }> = [];
  private flushScheduled = false;
  private nextId = 1;

  /** `name` says in errors which threads failed; `script` runs serveBatches(). */
  constructor(
    private readonly name: string,
    size: number,
    private readonly script: URL,
    private readonly data: unknown,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a ${name} pool needs at least one thread`);
    this.slots = Array.from({ length: size }, () => ({ worker: null, sent: [] }));
  }

  /** Starts every thread and resolves once each is ready (threads otherwise start on first use). */
  async start(): Promise<void> {
    await Promise.all(
      this.slots.map(
        (slot) =>
          new Promise<void>((resolve, reject) => {
            const worker = slot.worker ?? this.spawn(slot);
            worker.ref(); // nothing else may hold the event loop open yet
            const ready = (message: unknown): void => {
              if (message !== 'ready') return;
              worker.off('message', ready).off('exit', exited);
              if (slot.sent.length === 0) worker.unref();
              resolve();
            };
            const exited = (code: number): void => reject(new Error(`a ${this.name} thread exited with code ${code} while starting`));
            worker.on('message', ready).once('exit', exited);
          }),
      ),
    );
  }

  run(request: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      const id = this.nextId++;
      this.waiting.set(id, { resolve, reject });
      this.queue.push({ id, request });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => {
          this.flushScheduled = false;
          this.flush();
        });
      }
    });
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
        for (const id of slot.sent) {
          this.waiting.get(id)?.reject(new RekorError('internal', `the ${this.name} threads were closed`));
          this.waiting.delete(id);
        }
        slot.sent = [];
      }),
    );
  }

  /** Shares the queue among the idle threads, at most MAX_BATCH requests each. */
  private flush(): void {
    const idle = this.slots.filter((s) => s.sent.length === 0);
    for (const [i, slot] of idle.entries()) {
      if (this.queue.length === 0) return;
      const share = Math.min(MAX_BATCH, Math.ceil(this.queue.length / (idle.length - i)));
      const taken = this.queue.splice(0, share);
      const batch: Batch<Req> = { ids: taken.map((t) => t.id), requests: taken.map((t) => t.request) };
      slot.sent = batch.ids;
      // A thread with requests outstanding holds the event loop open, as a socket with I/O does.
      const worker = slot.worker ?? this.spawn(slot);
      worker.ref();
      worker.postMessage(batch);
    }
  }

  private spawn(slot: Slot): Worker {
    const worker = new Worker(this.script, { workerData: this.data });
    worker.unref();
    worker.on('message', (answer: Answer<Res> | 'ready') => {
      if (answer === 'ready') return;
      answer.ids.forEach((id, i) => {
        const waiting = this.waiting.get(id);
        const outcome = answer.outcomes[i];
        if (waiting === undefined || outcome === undefined) return;
        this.waiting.delete(id);
        if ('error' in outcome) waiting.reject(new RekorError(outcome.error.code, outcome.error.message, { detail: outcome.error.detail }));
        else waiting.resolve(outcome.value);
      });
      // A batch may be answered in parts (serveEach); the thread is idle once all of it is.
      slot.sent = slot.sent.length === answer.ids.length ? [] : slot.sent.filter((id) => this.waiting.has(id));
      if (slot.sent.length > 0) return;
      worker.unref();
      this.flush();
    });
    const fail = (err: Error): void => {
      if (slot.worker !== worker) return;
      slot.worker = null;
      // The batch this thread held is lost with it; what is still queued goes to its successor.
      for (const id of slot.sent) {
        this.waiting.get(id)?.reject(new RekorError('internal', `${this.name} thread failed: ${err.message}`, { cause: err }));
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

/** A thrown value as plain data that crosses threads (RekorErrors keep their code and detail). */
export function errorData(err: unknown): ErrorData {
  return isRekorError(err)
    ? { code: err.code, message: err.message, detail: err.detail }
    : { code: 'internal', message: err instanceof Error ? err.message : String(err), detail: {} };
}

/**
 * The thread side of a ThreadPool: answers each batch with `handle`'s outcomes (in request
 * order), transferring the buffers it lists; 'close' runs `onClose` and ends the thread.
 */
export function serveBatches<Req, Res>(
  handle: (requests: Req[]) => Promise<{ outcomes: Array<Outcome<Res>>; transfer?: ArrayBuffer[] }>,
  onClose: () => Promise<void> = async () => {},
): void {
  serve<Req, Res>(
    (batch, post) =>
      handle(batch.requests).then(
        ({ outcomes, transfer }) => post({ ids: batch.ids, outcomes }, transfer),
        (err: unknown) => post({ ids: batch.ids, outcomes: batch.ids.map(() => ({ error: errorData(err) })) }),
      ),
    onClose,
  );
}

/**
 * The thread side of a ThreadPool whose requests are independent: each outcome is posted as soon
 * as it is known, so a request never waits for the rest of its batch (entries flow on to the
 * sequencer one by one, as they are verified).
 */
export function serveEach<Req, Res>(handle: (request: Req) => Promise<Res>): void {
  let queue = Promise.resolve();
  serve<Req, Res>((batch, post) => {
    batch.ids.forEach((id, i) => {
      queue = queue.then(async () => {
        try {
          post({ ids: [id], outcomes: [{ value: await handle(batch.requests[i] as Req) }] });
        } catch (err) {
          post({ ids: [id], outcomes: [{ error: errorData(err) }] });
        }
      });
    });
    return queue;
  });
}

/** Posts 'ready', hands each batch to `onBatch`, and on 'close' ends the thread once the work `onBatch` returned is done. */
function serve<Req, Res>(
  onBatch: (batch: Batch<Req>, post: (answer: Answer<Res>, transfer?: ArrayBuffer[]) => void) => Promise<void>,
  onClose: () => Promise<void> = async () => {},
): void {
  const port = parentPort;
  if (port === null) throw new Error('a ThreadPool script must run in a worker thread');
  const post = (answer: Answer<Res>, transfer: ArrayBuffer[] = []): void => port.postMessage(answer, transfer);
  let pending = Promise.resolve();
  port.on('message', (message: Batch<Req> | 'close') => {
    if (message === 'close') {
      void pending.then(onClose).finally(() => port.close());
      return;
    }
    pending = onBatch(message, post);
  });
  port.postMessage('ready');
}
