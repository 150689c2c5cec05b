import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRekorError } from '../errors.js';
import { Sequencer } from './sequencer.js';

/** A flush that records its batches and resolves when the test says so. */
function gatedFlush() {
  const batches: number[][] = [];
  const gates: Array<() => void> = [];
  const flush = (items: number[]): Promise<number[]> => {
    batches.push(items);
    return new Promise((resolve) => gates.push(() => resolve(items.map((i) => i * 10))));
  };
  const open = async (): Promise<void> => {
    while (gates.length === 0) await new Promise((r) => setImmediate(r));
    (gates.shift() as () => void)();
  };
  return { batches, flush, open };
}

describe('Sequencer', () => {
  it('resolves each caller with its own result, in batches formed while a flush runs', async () => {
    const gate = gatedFlush();
    const seq = new Sequencer<number, number>({ maxBatchSize: 100, maxBatchAgeMs: 0, maxPending: 1000 }, gate.flush);
    const first = seq.submit(1);
    await new Promise((r) => setImmediate(r)); // first flush starts with [1]
    const rest = [2, 3, 4].map((i) => seq.submit(i));
    await gate.open();
    assert.equal(await first, 10);
    await gate.open();
    assert.deepEqual(await Promise.all(rest), [20, 30, 40]);
    assert.deepEqual(gate.batches, [[1], [2, 3, 4]]);
  });

  it('cuts batches at maxBatchSize', async () => {
    const gate = gatedFlush();
    const seq = new Sequencer<number, number>({ maxBatchSize: 2, maxBatchAgeMs: 60_000, maxPending: 10 }, gate.flush);
    const all = [1, 2, 3, 4, 5].map((i) => seq.submit(i));
    await gate.open();
    await gate.open();
    // The last item waits for its age (a minute) unless the sequencer is closed.
    const closing = seq.close();
    await gate.open();
    await closing;
    assert.deepEqual(await Promise.all(all), [10, 20, 30, 40, 50]);
    assert.deepEqual(gate.batches, [[1, 2], [3, 4], [5]]);
  });

  it('flushes a partial batch once its oldest item is maxBatchAgeMs old', async () => {
    let now = 0;
    const batches: number[][] = [];
    const seq = new Sequencer<number, number>(
      { maxBatchSize: 100, maxBatchAgeMs: 5, maxPending: 100 },
      async (items) => {
        batches.push(items);
        return items;
      },
      () => now,
    );
    const a = seq.submit(1);
    now = 3;
    const b = seq.submit(2);
    assert.deepEqual(await Promise.all([a, b]), [1, 2]);
    assert.deepEqual(batches, [[1, 2]]);
  });

  it('pushes back with overloaded past maxPending, and recovers', async () => {
    const gate = gatedFlush();
    const seq = new Sequencer<number, number>({ maxBatchSize: 2, maxBatchAgeMs: 0, maxPending: 2 }, gate.flush);
    const accepted = [seq.submit(1), seq.submit(2)];
    await assert.rejects(seq.submit(3), (err: unknown) => isRekorError(err, 'overloaded') && err.detail.retryAfterSeconds === 1);
    await gate.open();
    await Promise.all(accepted);
    const later = seq.submit(4);
    await gate.open();
    assert.equal(await later, 40);
  });

  it('rejects every caller of a failed flush and keeps going', async () => {
    let fail = true;
    const seq = new Sequencer<number, number>({ maxBatchSize: 10, maxBatchAgeMs: 0, maxPending: 10 }, async (items) => {
      if (fail) throw new Error('disk full');
      return items;
    });
    const doomed = [seq.submit(1), seq.submit(2)];
    for (const p of doomed) await assert.rejects(p, /disk full/);
    fail = false;
    assert.equal(await seq.submit(3), 3);
  });
});

describe('Sequencer with concurrent flushes', () => {
  it('sends the next batch while one is still flushing, and answers each in order', async () => {
    const gate = gatedFlush();
    const seq = new Sequencer<number, number>(
      { maxBatchSize: 100, maxBatchAgeMs: 0, maxPending: 1000, maxConcurrentFlushes: 2 },
      gate.flush,
    );
    const first = seq.submit(1);
    await new Promise((r) => setImmediate(r));
    const second = seq.submit(2);
    await new Promise((r) => setImmediate(r));
    const third = seq.submit(3);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(gate.batches, [[1], [2]], 'two flushes run at once; the third waits');
    await gate.open();
    assert.equal(await first, 10);
    await gate.open();
    await gate.open();
    assert.deepEqual(await Promise.all([second, third]), [20, 30]);
    assert.deepEqual(gate.batches, [[1], [2], [3]]);
  });
});
