/** Keys and signatures made by real GnuPG in a throw-away home, checked end to end. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RekorError } from '../../errors.js';
import { decodeArmor, parsePgpPublicKey, parsePgpSignature, pgpSearchKey, verifyPgpSignature } from './index.js';
import { createGpgHome, generateKey, gpgAvailable, type GpgHome } from './testonly.js';

const skip = gpgAvailable() ? false : 'gpg not installed';
const data = new TextEncoder().encode('artifact bytes\n');
const homes: GpgHome[] = [];

interface Made {
  armoredKey: Uint8Array;
  binaryKey: Uint8Array;
  binarySig: Uint8Array;
  armoredSig: Uint8Array;
}
const made = new Map<string, Made>();

function make(userId: string, algorithm: string): Made {
  const home = createGpgHome();
  homes.push(home);
  generateKey(home, userId, algorithm);
  return {
    armoredKey: home.run(['--armor', '--export']),
    binaryKey: home.run(['--export']),
    binarySig: home.run(['--detach-sign'], data),
    armoredSig: home.run(['--armor', '--detach-sign'], data),
  };
}

before(() => {
  if (skip) return;
  made.set('ed25519', make('Alice <alice@example.com>', 'ed25519'));
  made.set('rsa3072', make('Alice <ALICE@example.com>', 'rsa3072'));
  made.set('bob', make('Bob <bob@example.org>', 'ed25519'));
});
after(() => homes.forEach((home) => home.dispose()));

const get = (name: string): Made => made.get(name) as Made;
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

test('gpg keys: armored and binary exports parse to one canonical form with the email subject', { skip }, async () => {
  for (const name of ['ed25519', 'rsa3072']) {
    const armored = await parsePgpPublicKey(get(name).armoredKey);
    const binary = await parsePgpPublicKey(get(name).binaryKey);
    assert.deepEqual(armored.canonical, binary.canonical, name);
    assert.deepEqual(armored.subjects, ['alice@example.com'], name);
    assert.equal(await pgpSearchKey(get(name).armoredKey), await pgpSearchKey(get(name).binaryKey), name);
    assert.match(await pgpSearchKey(get(name).armoredKey), /^[0-9a-f]{64}$/);
  }
});

test('gpg keys: canonical form is Go armor', { skip }, async () => {
  const canonical = text((await parsePgpPublicKey(get('rsa3072').armoredKey)).canonical);
  const lines = canonical.split('\n');
  assert.equal(lines[0], '-----BEGIN PGP PUBLIC KEY BLOCK-----');
  assert.equal(lines[1], '');
  const body = lines.slice(2, -2);
  assert.ok(body.slice(0, -1).every((line) => line.length === 64));
  assert.ok((body.at(-1) as string).length <= 64);
  assert.match(lines.at(-2) as string, /^=[A-Za-z0-9+/]{4}$/);
  assert.ok(canonical.endsWith('-----END PGP PUBLIC KEY BLOCK-----'));
  assert.ok(!canonical.endsWith('\n'));
});

test('gpg keys: several armored blocks make one keyring', { skip }, async () => {
  const both = Buffer.concat([get('ed25519').armoredKey, get('bob').armoredKey]);
  const key = await parsePgpPublicKey(both);
  assert.equal(key.keys.length, 2);
  assert.deepEqual([...key.subjects].sort(), ['alice@example.com', 'bob@example.org']);
  for (const name of ['ed25519', 'bob']) {
    const verdict = await verifyPgpSignature(key, await parsePgpSignature(get(name).binarySig), data);
    assert.deepEqual(verdict, { valid: true }, name);
  }
});

test('gpg signatures: binary and armored detached signatures verify', { skip }, async () => {
  for (const name of ['ed25519', 'rsa3072']) {
    const key = await parsePgpPublicKey(get(name).armoredKey);
    const armored = await parsePgpSignature(get(name).armoredSig);
    assert.deepEqual(armored.canonical, get(name).armoredSig, 'armored input is kept byte for byte');
    const binary = await parsePgpSignature(get(name).binarySig);
    assert.deepEqual(decodeArmor(text(binary.canonical))?.body, get(name).binarySig);
    assert.ok(text(binary.canonical).endsWith('-----END PGP SIGNATURE-----'));
    for (const signature of [armored, binary]) {
      assert.deepEqual(await verifyPgpSignature(key, signature, data), { valid: true }, name);
    }
  }
});

test('gpg signatures: failures carry a reason', { skip }, async () => {
  const alice = await parsePgpPublicKey(get('ed25519').armoredKey);
  const bob = await parsePgpPublicKey(get('bob').armoredKey);
  const signature = await parsePgpSignature(get('ed25519').binarySig);
  const cases = [
    { name: 'altered data', key: alice, data: new TextEncoder().encode('artifact bytes!\n') },
    { name: 'another key', key: bob, data },
  ];
  for (const c of cases) {
    const verdict = await verifyPgpSignature(c.key, signature, c.data);
    assert.equal(verdict.valid, false, c.name);
    assert.ok(!verdict.valid && verdict.reason.length > 0, c.name);
  }
});

test('gpg signatures: truncated or foreign input is refused', { skip }, async () => {
  const sig = get('rsa3072').binarySig;
  const cases = [
    { name: 'truncated binary', input: sig.subarray(0, sig.length - 10) },
    { name: 'key given as signature', input: get('rsa3072').armoredKey },
    { name: 'empty', input: new Uint8Array(0) },
  ];
  for (const c of cases) {
    await assert.rejects(parsePgpSignature(c.input), (err) => err instanceof RekorError && err.code === 'invalid_entry', c.name);
  }
});

test('gpg keys: a secret key block is read for its public part', { skip }, async () => {
  const home = createGpgHome();
  homes.push(home);
  generateKey(home, 'Carol <carol@example.net>', 'ed25519');
  const secret = home.run(['--armor', '--export-secret-keys']);
  const key = await parsePgpPublicKey(secret);
  assert.deepEqual(key.subjects, ['carol@example.net']);
  assert.deepEqual(key.canonical, (await parsePgpPublicKey(home.run(['--export']))).canonical);
});
