/**
 * `--workers N` on SQLite: one writer for every process. The primary runs the SQLite writer
 * thread; each worker's sequencer hands its batches to it over the cluster IPC channel (V8
 * serialization, so bigints and bytes travel as they are) and gets the committed result back,
 * then builds its proofs and answers as it would with a writer of its own. Workers that each
 * committed their own batches would contend for SQLite's write lock, whose busy handler sleeps
 * for milliseconds at a time; one writer commits the batches back to back instead.
 *
 * A batch is acknowledged only by the worker that sent it, and only after the writer replied
 * that its transaction committed. If the primary dies, the workers lose their IPC channel and
 * exit (cluster's own rule), so nothing is acknowledged without a commit.
 */
import cluster, { type Worker } from 'node:cluster';
import type { IntegrationOutcome, IntegrationResult, Integrator, PendingEntry, StoredEntry } from '../log/index.js';

interface IntegrateRequest {
  id: number;
  treeId: bigint;
  batch: PendingEntry[];
  integratedTime: bigint;
}

interface IntegrateReply {
  id: number;
  result?: IntegrationResult;
  error?: string;
}

const REQUEST = 'rekorIntegrate';
const REPLY = 'rekorIntegrated';

/** Cluster IPC must carry bigints and bytes: call before forking the workers. */
export function useStructuredIpc(): void {
  cluster.setupPrimary({ serialization: 'advanced' });
}

/**
 * Runs one integration at a time; the batches that arrive meanwhile go together into the next
 * transaction (group commit across the workers, as each worker's sequencer does within it), so
 * two workers do not double the per-transaction costs (fsync, checkpoint signature, edge tiles)
 * that one process would pay. Each caller gets the outcomes of its own entries, in its order;
 * a failed transaction fails every batch in it, and none of them was committed.
 */
export class MergingIntegrator implements Integrator {
  readonly #queue: Array<{
    treeId: bigint;
    batch: readonly PendingEntry[];
    integratedTime: bigint;
    resolve: (result: IntegrationResult) => void;
    reject: (err: unknown) => void;
  }> = [];
  #committing = false;

  constructor(private readonly writer: Integrator) {}

  integrate(treeId: bigint, batch: readonly PendingEntry[], integratedTime: bigint): Promise<IntegrationResult> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ treeId, batch, integratedTime, resolve, reject });
      this.#next();
    });
  }

  async close(): Promise<void> {
    await this.writer.close();
  }

  #next(): void {
    if (this.#committing || this.#queue.length === 0) return;
    // One transaction integrates into one tree: batches for another wait for the next round.
    const treeId = (this.#queue[0] as { treeId: bigint }).treeId;
    const taken = this.#queue.filter((q) => q.treeId === treeId);
    this.#queue.splice(0, this.#queue.length, ...this.#queue.filter((q) => q.treeId !== treeId));
    this.#committing = true;
    // Each worker stamped its batch when it flushed; the merged transaction takes the latest.
    const integratedTime = taken.reduce((latest, q) => (q.integratedTime > latest ? q.integratedTime : latest), 0n);
    this.writer
      .integrate(treeId, taken.flatMap((q) => q.batch), integratedTime)
      .then(
        (result) => {
          let at = 0;
          for (const q of taken) {
            q.resolve({ outcomes: result.outcomes.slice(at, at + q.batch.length), head: result.head, tiles: result.tiles });
            at += q.batch.length;
          }
        },
        (err: unknown) => taken.forEach((q) => q.reject(err)),
      )
      .finally(() => {
        this.#committing = false;
        this.#next();
      });
  }
}

/** In the primary: integrates the workers' batches through `writer` (a MergingIntegrator). */
export function serveWriterToWorkers(writer: Integrator): void {
  cluster.on('message', (worker: Worker, message: unknown) => {
    const request = field<IntegrateRequest>(message, REQUEST);
    if (request === undefined) return;
    writer.integrate(request.treeId, request.batch, request.integratedTime).then(
      (result) => reply(worker, { id: request.id, result: { ...result, outcomes: result.outcomes.map(withoutPayload) } }),
      (err: unknown) => reply(worker, { id: request.id, error: err instanceof Error ? err.message : String(err) }),
    );
  });
}

/** The worker holds each entry's body and attestation already; the reply need not carry them back. */
function withoutPayload(outcome: IntegrationOutcome): IntegrationOutcome {
  if (outcome.status !== 'added') return outcome;
  const { attestation: _attestation, ...entry } = outcome.entry;
  return { status: 'added', entry: { ...entry, body: EMPTY } };
}

function withPayload(outcome: IntegrationOutcome, pending: PendingEntry): IntegrationOutcome {
  if (outcome.status !== 'added') return outcome;
  const entry: StoredEntry = { ...outcome.entry, body: pending.body };
  if (pending.attestation !== undefined) entry.attestation = pending.attestation;
  return { status: 'added', entry };
}

const EMPTY = new Uint8Array(0);

function reply(worker: Worker, body: IntegrateReply): void {
  // A worker that died meanwhile never acknowledged the batch; its entries, if committed, are
  // simply in the log, and a client that retries gets 409 with their UUID.
  if (worker.isConnected()) worker.send({ [REPLY]: body });
}

/** In a worker: an Integrator that is the primary's writer. */
export class PrimaryWriter implements Integrator {
  #nextId = 1;
  readonly #waiting = new Map<
    number,
    { batch: readonly PendingEntry[]; resolve: (result: IntegrationResult) => void; reject: (err: Error) => void }
  >();
  readonly #onMessage = (message: unknown): void => {
    const answer = field<IntegrateReply>(message, REPLY);
    const waiting = answer === undefined ? undefined : this.#waiting.get(answer.id);
    if (answer === undefined || waiting === undefined) return;
    this.#waiting.delete(answer.id);
    const result = answer.result;
    if (result !== undefined && result.outcomes.length === waiting.batch.length) {
      waiting.resolve({ ...result, outcomes: result.outcomes.map((o, i) => withPayload(o, waiting.batch[i] as PendingEntry)) });
    } else if (result !== undefined) {
      waiting.reject(new Error(`the writer answered ${result.outcomes.length} outcomes for a batch of ${waiting.batch.length}`));
    } else {
      waiting.reject(new Error(`integration failed: ${answer.error ?? 'no result'}`));
    }
  };

  constructor() {
    if (process.send === undefined) throw new Error('PrimaryWriter needs an IPC channel to the primary process');
    process.on('message', this.#onMessage);
  }

  integrate(treeId: bigint, batch: readonly PendingEntry[], integratedTime: bigint): Promise<IntegrationResult> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { batch, resolve, reject });
      const request: IntegrateRequest = { id, treeId, batch: [...batch], integratedTime };
      const sent = (err: Error | null): void => {
        if (err === null || !this.#waiting.has(id)) return;
        this.#waiting.delete(id);
        reject(new Error(`cannot reach the writer in the primary process: ${err.message}`));
      };
      if (process.send === undefined || !process.connected) sent(new Error('the IPC channel is closed'));
      else process.send({ [REQUEST]: request }, undefined, undefined, sent);
    });
  }

  async close(): Promise<void> {
    process.off('message', this.#onMessage);
    for (const [id, waiting] of this.#waiting) {
      this.#waiting.delete(id);
      waiting.reject(new Error('the log closed before the writer replied'));
    }
  }
}

function field<T>(message: unknown, name: string): T | undefined {
  if (typeof message !== 'object' || message === null || !(name in message)) return undefined;
  return (message as Record<string, T>)[name];
}
