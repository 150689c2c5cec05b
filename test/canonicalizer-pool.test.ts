/** The verification thread pool gives the same answers as the registry in-process, errors included. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { isRekorError } from '../src/errors.js';
import { CanonicalizerPool } from '../src/main/canonicalizer-pool.js';
import { defaultRegistry, defaultTypeContext } from '../src/types/index.js';
import { hashedRekord, signArtifact } from './entries.js';

describe('CanonicalizerPool', () => {
  const pool = new CanonicalizerPool(2, {});
  const registry = defaultRegistry({});
  const context = defaultTypeContext();
  after(() => pool.close());

  it('canonicalizes like the registry in this thread', async () => {
    const entries = Array.from({ length: 20 }, () => hashedRekord(signArtifact()));
    const viaPool = await Promise.all(entries.map((e) => pool.canonicalize('hashedrekord', '0.0.1', e['spec'] as Record<string, unknown>)));
    for (const [i, e] of entries.entries()) {
      const local = await registry.canonicalizeProposed('hashedrekord', '0.0.1', e['spec'], context);
      const got = viaPool[i];
      assert.ok(got);
      assert.deepEqual(Buffer.from(got.body), Buffer.from(local.body));
      assert.deepEqual(Buffer.from(got.leafHash), Buffer.from(local.leafHash));
      assert.deepEqual(got.indexKeys, local.indexKeys);
    }
  });

  it('returns the registry errors as RekorErrors with the same code and message', async () => {
    const spec = hashedRekord(signArtifact())['spec'] as { data: { hash: { value: string } } };
    spec.data.hash.value = 'ab'.repeat(32);
    const local = await registry.canonicalizeProposed('hashedrekord', '0.0.1', spec, context).catch((err: unknown) => err);
    const remote = await pool.canonicalize('hashedrekord', '0.0.1', spec as unknown as Record<string, unknown>).catch((err: unknown) => err);
    assert.ok(isRekorError(local) && isRekorError(remote));
    assert.equal(remote.code, local.code);
    assert.equal(remote.message, local.message);
    const unknownVersion = await pool.canonicalize('hashedrekord', '9.9.9', {}).catch((err: unknown) => err);
    assert.ok(isRekorError(unknownVersion, 'invalid_entry'));
  });
});
