/** When more entries wait for integration than --max-pending allows: 503 + Retry-After, nothing lost. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { appFixture, JSON_HEADERS } from './app-fixture.js';
import { hashedRekord } from './entries.js';

it('answers 503 with Retry-After past max-pending, and integrates the accepted entries', async () => {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let entered: () => void = () => {};
  const integrating = new Promise<void>((resolve) => (entered = resolve));
  const fx = await appFixture({
    sequencer: { maxBatchSize: 1, maxBatchAgeMs: 0, maxPending: 2 },
    wrapIntegrator: (inner) => ({
      integrate: async (...args) => {
        entered();
        await held;
        return inner.integrate(...args);
      },
      close: () => inner.close(),
    }),
  });
  try {
    const post = () => fx.app.inject({ method: 'POST', url: '/api/v1/log/entries', headers: JSON_HEADERS, payload: JSON.stringify(hashedRekord()) });
    const first = post();
    await integrating;
    // One entry is integrating (held) and the queue has room for one more: of two further
    // requests, exactly one is queued and the other is pushed back.
    const [second, third] = [post(), post()];
    const refused = await Promise.race([second, third]);
    assert.equal(refused.statusCode, 503);
    assert.equal(refused.headers['retry-after'], '1');
    const body = JSON.parse(refused.body) as { code: number; message: string };
    assert.equal(body.code, 503);
    assert.match(body.message, /retry later/);
    release();
    const statuses = [(await first).statusCode, (await second).statusCode, (await third).statusCode].sort();
    assert.deepEqual(statuses, [201, 201, 503]);
    assert.equal((await fx.log.head()).size, 2n);
  } finally {
    release();
    await fx.close();
  }
});
