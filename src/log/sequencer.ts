/**
 * Group commit. Callers submit items one by one; the sequencer hands them to `flush` in
 * batches, one flush at a time, and resolves each caller with its own result once the flush
 * that carried it has returned (for the log: after the transaction committed). A batch leaves
 * when it reaches `maxBatchSize`, or `maxBatchAgeMs` after its oldest item arrived (0: as soon
 * as the event loop is free, so a lone request pays no waiting). Up to `maxConcurrentFlushes`
 * flushes run at once (default 1), so the next batch can travel to storage while the previous
 * one commits; storage serializes the transactions themselves. Past `maxPending` waiting
 * items, submit() refuses at once (pushback) instead of queueing without bound.
 */
import { RekorError } from '../errors.js';

export interface SequencerOptions {
  maxBatchSize: number;
  maxBatchAgeMs: number;
  maxPending: number;
  maxConcurrentFlushes?: number;
}

interface Waiting<TIn, TOut> {
  item: TIn;
  arrivedAt: number;
  resolve: (out: TOut) => void;
  reject: (err: unknown) => void;
}

export class Sequencer<TIn, TOut> {
  private queue: Array<Waiting<TIn, TOut>> = [];
  private running = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly options: SequencerOptions,
    private readonly flush: (items: TIn[]) => Promise<TOut[]>,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (options.maxBatchSize < 1) throw new RangeError('maxBatchSize must be at least 1');
    if (options.maxPending < options.maxBatchSize) throw new RangeError('maxPending must be at least maxBatchSize');
  }

  /** Items accepted and not yet answered: queued or in the running flush. */
  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  submit(item: TIn): Promise<TOut> {
    if (this.closed) return Promise.reject(new RekorError('overloaded', 'server is shutting down', { detail: { retryAfterSeconds: 1 } }));
    if (this.pending >= this.options.maxPending) {
      return Promise.reject(
        new RekorError('overloaded', 'too many entries waiting for integration; retry later', { detail: { retryAfterSeconds: 1 } }),
      );
    }
    return new Promise<TOut>((resolve, reject) => {
      this.queue.push({ item, arrivedAt: this.now(), resolve, reject });
      this.schedule();
    });
  }

  /** Stops accepting items and resolves when everything queued has been flushed. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.queue.length === 0 && this.running === 0) return;
    this.cancelTimer();
    this.schedule();
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private get saturated(): boolean {
    return this.running >= (this.options.maxConcurrentFlushes ?? 1);
  }

  private schedule(): void {
    if (this.saturated || this.queue.length === 0) return;
    if (this.queue.length >= this.options.maxBatchSize || this.closed) {
      this.cancelTimer();
      void this.runFlush();
      return;
    }
    if (this.timer !== null) return;
    const oldest = this.queue[0] as Waiting<TIn, TOut>;
    const wait = this.options.maxBatchAgeMs - (this.now() - oldest.arrivedAt);
    const fire = (): void => {
      this.timer = null;
      void this.runFlush();
    };
    this.timer = wait <= 0 ? setImmediate(fire) : setTimeout(fire, wait);
  }

  private cancelTimer(): void {
    if (this.timer === null) return;
    clearTimeout(this.timer as NodeJS.Timeout);
    clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = null;
  }

  private async runFlush(): Promise<void> {
    if (this.saturated || this.queue.length === 0) return;
    this.running++;
    const batch = this.queue.splice(0, this.options.maxBatchSize);
    this.inFlight += batch.length;
    try {
      const results = await this.flush(batch.map((w) => w.item));
      if (results.length !== batch.length) throw new Error(`flush returned ${results.length} results for ${batch.length} items`);
      batch.forEach((w, i) => w.resolve(results[i] as TOut));
    } catch (err) {
      for (const w of batch) w.reject(err);
    } finally {
      this.running--;
      this.inFlight -= batch.length;
      this.schedule();
      if (this.queue.length === 0 && this.running === 0) this.notifyIdle();
    }
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
