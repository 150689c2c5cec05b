import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { isRekorError } from '../../errors.js';
import { testdataPath } from '../../../test/testdata.js';
import { decodePem, encodePem } from '../pem.js';
import { parseSshPublicKey, parseSshSignature, verifySshSignature } from './index.js';
import { mutated, onlyRekorErrors } from '../../fuzz-testonly.js';

const fixture = (name: string) => new Uint8Array(readFileSync(testdataPath('artifacts', 'ssh', name)));

test('mutated ssh keys and armored signatures throw only RekorError', () => {
  const data = fixture('hello_world.txt');
  const key = parseSshPublicKey(fixture('id_rsa.pub'));
  fc.assert(
    fc.property(mutated(fixture('id_rsa.pub')), (input) => onlyRekorErrors(() => parseSshPublicKey(input))),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(mutated(fixture('hello_world.txt.sig')), (input) =>
      onlyRekorErrors(() => assert.equal(typeof verifySshSignature(parseSshSignature(input), key, data).valid, 'boolean')),
    ),
    { numRuns: 300 },
  );
});

test('mutated SSHSIG bodies (inside valid armor) throw only RekorError', () => {
  const data = fixture('hello_world.txt');
  const key = parseSshPublicKey(fixture('id_rsa.pub'));
  const body = decodePem(fixture('hello_world.txt.sig')).block?.bytes as Uint8Array;
  fc.assert(
    fc.property(mutated(body), (mutant) => {
      const armored = new Uint8Array(Buffer.from(encodePem('SSH SIGNATURE', mutant), 'latin1'));
      onlyRekorErrors(() => assert.equal(typeof verifySshSignature(parseSshSignature(armored), key, data).valid, 'boolean'));
    }),
    { numRuns: 500 },
  );
});

test('arbitrary bytes throw only RekorError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), (input) => {
      onlyRekorErrors(() => parseSshPublicKey(input));
      onlyRekorErrors(() => parseSshSignature(input));
    }),
    { numRuns: 500 },
  );
});

test('pathological inputs at the size limit parse quickly', () => {
  const key = Buffer.from(fixture('id_rsa.pub')).toString('latin1').trim();
  const cases = ['\n', ' ', '"', '#\n', `x ${key.split(' ')[1]}\n`].map((unit) => unit.repeat(Math.floor(65000 / unit.length)));
  for (const text of cases) {
    const input = new Uint8Array(Buffer.from(text, 'latin1'));
    const started = performance.now();
    for (const parse of [parseSshPublicKey, parseSshSignature]) {
      try {
        parse(input);
      } catch (e) {
        assert.ok(isRekorError(e, 'invalid_entry'));
      }
    }
    assert.ok(performance.now() - started < 2000, 'parsing took over two seconds');
  }
});
