/**
 * An Integrator that runs the SQLite write transactions in a worker thread (writer-worker.ts).
 * The thread gets the database path and the signing key; batches go over postMessage and the
 * results come back when the transaction has committed. A thread that dies is replaced on the
 * next batch; the batches it held are rejected (never acknowledged), which is safe because a
 * transaction either committed before the reply or not at all.
 */
import { Worker } from 'node:worker_threads';
import type { Integrator, IntegrationResult, PendingEntry } from '../../log/index.js';
import type { WriterData, WriterRequest } from './writer-worker.js';

interface Waiting {
  resolve: (result: IntegrationResult) => void;
  reject: (err: Error) => void;
}

export class SqliteWriterThread implements Integrator {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();

  constructor(private readonly data: WriterData) {}

  integrate(treeId: bigint, batch: readonly PendingEntry[], integratedTime: bigint): Promise<IntegrationResult> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const request: WriterRequest = { id, treeId, batch: [...batch], integratedTime };
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (worker === null) return;
    this.worker = null;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('close');
    await exited;
  }

  private start(): Worker {
    const worker = new Worker(new URL('./writer-worker.js', import.meta.url), { workerData: this.data });
    worker.on('message', (message: { id: number; result?: IntegrationResult; error?: string }) => {
      const waiting = this.waiting.get(message.id);
      if (waiting === undefined) return;
      this.waiting.delete(message.id);
      if (message.error !== undefined) waiting.reject(new Error(`integration failed: ${message.error}`));
      else waiting.resolve(message.result as IntegrationResult);
    });
    const fail = (err: Error): void => {
      if (this.worker === worker) this.worker = null;
      for (const [id, waiting] of this.waiting) {
        this.waiting.delete(id);
        waiting.reject(err);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`writer thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }
}
