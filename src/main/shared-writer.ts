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
import type { IntegrationResult, Integrator, PendingEntry } from '../log/index.js';

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

/** In the primary: integrates the workers' batches with `writer`, in arrival order. */
export function serveWriterToWorkers(writer: Integrator): void {
  cluster.on('message', (worker: Worker, message: unknown) => {
    const request = field<IntegrateRequest>(message, REQUEST);
    if (request === undefined) return;
    writer.integrate(request.treeId, request.batch, request.integratedTime).then(
      (result) => reply(worker, { id: request.id, result }),
      (err: unknown) => reply(worker, { id: request.id, error: err instanceof Error ? err.message : String(err) }),
    );
  });
}

function reply(worker: Worker, body: IntegrateReply): void {
  // A worker that died meanwhile never acknowledged the batch; its entries, if committed, are
  // simply in the log, and a client that retries gets 409 with their UUID.
  if (worker.isConnected()) worker.send({ [REPLY]: body });
}

/** In a worker: an Integrator that is the primary's writer. */
export class PrimaryWriter implements Integrator {
  #nextId = 1;
  readonly #waiting = new Map<number, { resolve: (result: IntegrationResult) => void; reject: (err: Error) => void }>();
  readonly #onMessage = (message: unknown): void => {
    const answer = field<IntegrateReply>(message, REPLY);
    const waiting = answer === undefined ? undefined : this.#waiting.get(answer.id);
    if (answer === undefined || waiting === undefined) return;
    this.#waiting.delete(answer.id);
    if (answer.result !== undefined) waiting.resolve(answer.result);
    else waiting.reject(new Error(`integration failed: ${answer.error ?? 'no result'}`));
  };

  constructor() {
    if (process.send === undefined) throw new Error('PrimaryWriter needs an IPC channel to the primary process');
    process.on('message', this.#onMessage);
  }

  integrate(treeId: bigint, batch: readonly PendingEntry[], integratedTime: bigint): Promise<IntegrationResult> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
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
