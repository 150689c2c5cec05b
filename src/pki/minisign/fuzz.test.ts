import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { isRekorError } from '../../errors.js';
import { testdataPath } from '../../../test/testdata.js';
import { parseMinisignPublicKey, parseMinisignSignature, verifyMinisignSignature } from './index.js';
import { mutated, onlyRekorErrors } from '../../fuzz-testonly.js';

const fixture = (name: string) => new Uint8Array(readFileSync(testdataPath('artifacts', 'minisign', name)));

test('mutated minisign keys and signatures throw only RekorError and never hang', () => {
  const data = fixture('hello_world.txt');
  const key = parseMinisignPublicKey(fixture('minisign.pub'));
  const seeds = [fixture('minisign.pub'), fixture('hello_world.txt.minisig'), fixture('hello_world.txt.signify'), fixture('hello_world_hashed.txt.minisig')];
  for (const seed of seeds) {
    fc.assert(
      fc.property(mutated(seed), (input) => {
        onlyRekorErrors(() => parseMinisignPublicKey(input));
        onlyRekorErrors(() => {
          const verdict = verifyMinisignSignature(parseMinisignSignature(input), key, data);
          assert.equal(typeof verdict.valid, 'boolean');
        });
      }),
      { numRuns: 300 },
    );
  }
});

test('arbitrary bytes throw only RekorError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), (input) => {
      onlyRekorErrors(() => parseMinisignPublicKey(input));
      onlyRekorErrors(() => parseMinisignSignature(input));
    }),
    { numRuns: 500 },
  );
});

test('pathological inputs at the size limit parse quickly', () => {
  const cases = ['\n', 'a\n', ' ', '=', 'A'].map((unit) => new Uint8Array(Buffer.from(unit.repeat(Math.floor(60000 / unit.length)) + 'x')));
  for (const input of cases) {
    const started = performance.now();
    for (const parse of [parseMinisignPublicKey, parseMinisignSignature]) {
      try {
        parse(input);
      } catch (e) {
        assert.ok(isRekorError(e, 'invalid_entry'));
      }
    }
    assert.ok(performance.now() - started < 1000, 'parsing took over a second');
  }
});
