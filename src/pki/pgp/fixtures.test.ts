/** Shared, externally made PGP vectors (Rekor's own test data), judged as INDEX.json says. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { testdataPath, readIndex } from '../../../test/testdata.js';
import { RekorError } from '../../errors.js';
import { parsePgpPublicKey, parsePgpSignature, verifyPgpSignature } from './index.js';

const read = (file: string): Uint8Array => new Uint8Array(readFileSync(testdataPath(file)));
const keyRecords = readIndex().filter((r) => r.kind.startsWith('pgp-public-key'));

test('every indexed PGP public key parses or is refused as INDEX.json says', async () => {
  assert.ok(keyRecords.length >= 6);
  for (const record of keyRecords) {
    if (record.expected === 'valid') {
      const key = await parsePgpPublicKey(read(record.file));
      assert.ok(key.keys.length > 0, record.file);
      // The canonical form is itself a valid key that re-canonicalizes to the same bytes.
      assert.deepEqual((await parsePgpPublicKey(key.canonical)).canonical, key.canonical, record.file);
    } else {
      await assert.rejects(parsePgpPublicKey(read(record.file)), (err) => err instanceof RekorError && err.code === 'invalid_entry', record.file);
    }
  }
});

test('armored and binary forms of a keyring have one canonical form', async () => {
  const pairs = [
    ['artifacts/pgp/valid_armored_public.pgp', 'artifacts/pgp/valid_binary_public.pgp'],
    ['artifacts/pgp/valid_armored_complex_public.pgp', 'artifacts/pgp/valid_binary_complex_public.pgp'],
  ] as const;
  for (const [armored, binary] of pairs) {
    const a = await parsePgpPublicKey(read(armored));
    const b = await parsePgpPublicKey(read(binary));
    assert.deepEqual(a.canonical, b.canonical, armored);
    assert.deepEqual(a.subjects, b.subjects, armored);
  }
});

test('subjects of fixture keys', async () => {
  const cases = [
    { file: 'artifacts/pgp/valid_armored_public.pgp', want: ['not@real.com'] },
    { file: 'artifacts/pgp-real-world-nodejs/key', want: ['adamzdanielle@gmail.com', 'danielle.adams@heroku.com'] },
  ];
  for (const c of cases) assert.deepEqual([...(await parsePgpPublicKey(read(c.file))).subjects].sort(), c.want, c.file);
});

test('fixture detached signatures verify', async () => {
  const cases = [
    { key: 'pgp/valid_armored_public.pgp', sig: 'pgp/hello_world.txt.sig', data: 'pgp/hello_world.txt', armored: false },
    { key: 'pgp/valid_binary_public.pgp', sig: 'pgp/hello_world.txt.asc.sig', data: 'pgp/hello_world.txt', armored: true },
    { key: 'pgp/valid_armored_public.pgp', sig: 'pgp/hello_world.txt.v3.sig', data: 'pgp/hello_world.txt', armored: false },
    { key: 'pgp/valid_armored_public.pgp', sig: 'pgp/hello_world.txt.asc.v3.sig', data: 'pgp/hello_world.txt', armored: true },
    { key: 'pgp-real-world-nodejs/key', sig: 'pgp-real-world-nodejs/sig', data: 'pgp-real-world-nodejs/SHASUMS256.txt', armored: false },
    { key: 'rekord/test_public_key.key', sig: 'rekord/test_file.sig', data: 'rekord/test_file.txt', armored: false },
  ];
  for (const c of cases) {
    const key = await parsePgpPublicKey(read(`artifacts/${c.key}`));
    const input = read(`artifacts/${c.sig}`);
    const signature = await parsePgpSignature(input);
    assert.equal(signature.armored, c.armored, c.sig);
    if (c.armored) assert.deepEqual(signature.canonical, input, c.sig);
    assert.deepEqual(await verifyPgpSignature(key, signature, read(`artifacts/${c.data}`)), { valid: true }, c.sig);
    const other = await verifyPgpSignature(key, signature, new TextEncoder().encode('other data'));
    assert.equal(other.valid, false, c.sig);
  }
});

test('a fixture signature does not verify under an unrelated key', async () => {
  const key = await parsePgpPublicKey(read('artifacts/pgp-real-world-nodejs/key'));
  const signature = await parsePgpSignature(read('artifacts/pgp/hello_world.txt.sig'));
  const verdict = await verifyPgpSignature(key, signature, read('artifacts/pgp/hello_world.txt'));
  assert.equal(verdict.valid, false);
});

test('the Node.js sig.asc is a clear-signed message, not a detached signature, and is refused', async () => {
  await assert.rejects(parsePgpSignature(read('artifacts/pgp-real-world-nodejs/sig.asc')), (err) => err instanceof RekorError && err.code === 'invalid_entry');
});
