/** Property tests: mutated keys and signatures fail only with RekorError, and promptly. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { testdataPath } from '../../../test/testdata.js';
import { RekorError } from '../../errors.js';
import { parsePgpPublicKey, parsePgpSignature, verifyPgpSignature } from './index.js';

const read = (file: string): Uint8Array => new Uint8Array(readFileSync(testdataPath('artifacts', 'pgp', file)));
const data = read('hello_world.txt');

/** Flips, truncates or splices bytes of a valid input. */
function mutated(seed: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.array(fc.tuple(fc.nat(seed.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((edits) => {
      const copy = new Uint8Array(seed);
      for (const [at, value] of edits) copy[at] = value;
      return copy;
    }),
    fc.nat(seed.length).map((end) => seed.subarray(0, end)),
    fc.tuple(fc.nat(seed.length), fc.uint8Array({ maxLength: 64 })).map(([at, junk]) => new Uint8Array(Buffer.concat([seed.subarray(0, at), junk, seed.subarray(at)]))),
  );
}

async function onlyRekorErrors(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (err) {
    assert.ok(err instanceof RekorError && err.code === 'invalid_entry', `unexpected ${String(err)}`);
  }
}

const seeds = ['valid_armored_public.pgp', 'valid_binary_public.pgp'].map(read);

test('mutated keys throw nothing but RekorError', async () => {
  for (const seed of seeds) {
    await fc.assert(fc.asyncProperty(mutated(seed), (input) => onlyRekorErrors(() => parsePgpPublicKey(input))), { numRuns: 60 });
  }
});

test('mutated signatures throw nothing but RekorError and verification never throws', async () => {
  const key = await parsePgpPublicKey(seeds[0] as Uint8Array);
  for (const seed of [read('hello_world.txt.sig'), read('hello_world.txt.asc.sig')]) {
    await fc.assert(
      fc.asyncProperty(mutated(seed), async (input) => {
        await onlyRekorErrors(async () => {
          const signature = await parsePgpSignature(input);
          const verdict = await verifyPgpSignature(key, signature, data);
          assert.equal(typeof verdict.valid, 'boolean');
        });
      }),
      { numRuns: 60 },
    );
  }
});

test('random bytes are refused', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (input) => {
      await onlyRekorErrors(() => parsePgpPublicKey(input));
      await onlyRekorErrors(() => parsePgpSignature(input));
    }),
    { numRuns: 100 },
  );
});

test('oversized input is refused before parsing', async () => {
  const big = new Uint8Array((1 << 20) + 1);
  await assert.rejects(parsePgpPublicKey(big), RekorError);
  await assert.rejects(parsePgpSignature(big), RekorError);
});
