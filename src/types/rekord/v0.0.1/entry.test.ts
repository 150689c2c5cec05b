import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { parseX509PublicKey } from '../../../pki/x509/index.js';
import { repoRoot, sharedDir, testdataPath } from '../../../../test/testdata.js';
import { canonicalEntry } from '../../canonical.js';
import { defaultTypeContext, type CanonicalEntry } from '../../types.js';
import { canonicalizeRekord } from './entry.js';
import { ARTIFACT, minisignMaterial, pgpMaterial, specOf, sshMaterial, x509Material, type Material, type Spec } from './testonly.js';
import { invalidEntryWith } from '../../../fuzz-testonly.js';

const ctx = defaultTypeContext();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const b64 = (b: Uint8Array | string) => Buffer.from(b).toString('base64');
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const artifactHash = sha256(ARTIFACT);

async function expectError(spec: unknown, want: string | RegExp): Promise<void> {
  await assert.rejects(canonicalizeRekord(spec, ctx), invalidEntryWith(want));
}

const schema = JSON.parse(readFileSync(join(repoRoot, 'src/types/rekord/v0.0.1/rekord_v0_0_1_schema.json'), 'utf8')) as object;
const validateSpecSchema = new Ajv({ strict: false, validateFormats: false }).compile(schema);

function checkBody(entry: CanonicalEntry): { data: { hash: { algorithm: string; value: string } }; signature: Record<string, unknown> } {
  const body = JSON.parse(Buffer.from(entry.body).toString()) as { apiVersion: string; kind: string; spec: ReturnType<typeof checkBody> };
  assert.deepEqual(Object.keys(body), ['apiVersion', 'kind', 'spec']);
  assert.equal(body.kind, 'rekord');
  assert.deepEqual(Object.keys(body.spec), ['data', 'signature']);
  assert.deepEqual(Object.keys(body.spec.data), ['hash']);
  assert.deepEqual(Object.keys(body.spec.signature), ['content', 'format', 'publicKey']);
  assert.ok(validateSpecSchema(body.spec), JSON.stringify(validateSpecSchema.errors));
  return body.spec;
}

describe('rekord 0.0.1: the production entry (logIndex 74497915, x509 ECDSA key)', () => {
  const file = JSON.parse(readFileSync(testdataPath('entries', 'rekor-v1-api', 'production', 'rekord-74497915.json'), 'utf8')) as Record<string, { body: string }>;
  const [uuid, logEntry] = Object.entries(file)[0] as [string, { body: string }];
  const body = Buffer.from(logEntry.body, 'base64');
  const stored = JSON.parse(body.toString()) as { spec: { signature: { publicKey: { content: string } } } };

  // The artifact is not published, so the signature cannot be re-verified here; what can be
  // checked is that our body builder and key canonicalization reproduce the stored bytes.
  test('the stored spec re-serializes to the stored body and UUID', () => {
    const entry = canonicalEntry('rekord', '0.0.1', stored.spec, []);
    assert.deepEqual(Buffer.from(entry.body), body);
    assert.equal(hex(entry.leafHash), uuid.slice(16));
    checkBody(entry);
  });
  test('the stored key is already canonical', () => {
    const key = Buffer.from(stored.spec.signature.publicKey.content, 'base64');
    assert.deepEqual(Buffer.from(parseX509PublicKey(key).canonical), key);
  });
});

describe('rekord 0.0.1: shared fixtures', () => {
  const A = (...p: string[]) => readFileSync(testdataPath('artifacts', ...p));
  const cases: Array<{ name: string; format: Material['format']; key: string[]; sig: string[]; data: string[]; subjects: string[] }> = [
    { name: 'pgp (binary signature)', format: 'pgp', key: ['rekord', 'test_public_key.key'], sig: ['rekord', 'test_file.sig'], data: ['rekord', 'test_file.txt'], subjects: ['lhinds@protonmail.com'] },
    { name: 'minisign', format: 'minisign', key: ['minisign', 'minisign.pub'], sig: ['minisign', 'hello_world.txt.minisig'], data: ['minisign', 'hello_world.txt'], subjects: [] },
    { name: 'minisign prehashed', format: 'minisign', key: ['minisign', 'minisign_hashed.pub'], sig: ['minisign', 'hello_world_hashed.txt.minisig'], data: ['minisign', 'hello_world.txt'], subjects: [] },
    { name: 'ssh rsa', format: 'ssh', key: ['ssh', 'id_rsa.pub'], sig: ['ssh', 'hello_world.txt.sig'], data: ['ssh', 'hello_world.txt'], subjects: ['test@rekor.dev'] },
    { name: 'x509 ec', format: 'x509', key: ['x509', 'ec.pub'], sig: ['x509', 'hello_world.txt.sig'], data: ['x509', 'hello_world.txt'], subjects: [] },
    { name: 'x509 rsa4096', format: 'x509', key: ['x509', 'rsa4096_public_key.pem'], sig: ['x509', 'rsa4096_artifact.txt.sig'], data: ['x509', 'rsa4096_artifact.txt'], subjects: [] },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const data = A(...c.data);
      const entry = await canonicalizeRekord(specOf({ format: c.format, key: A(...c.key), signature: A(...c.sig) }, data, sha256(data)), ctx);
      const spec = checkBody(entry);
      assert.equal(spec.data.hash.value, sha256(data));
      const key = Buffer.from((spec.signature['publicKey'] as { content: string }).content, 'base64');
      assert.deepEqual(entry.indexKeys, [sha256(key), ...c.subjects, `sha256:${sha256(data)}`]);
    });
  }
  test('proposed entry with inline content', async () => {
    const proposed = JSON.parse(A('proposed-entries', 'rekord-pgp-content.json').toString()) as { spec: unknown };
    checkBody(await canonicalizeRekord(proposed.spec, ctx));
  });
  test('proposed entries with a URL are refused', async () => {
    for (const file of [A('proposed-entries', 'rekord-pgp-url.json'), readFileSync(join(sharedDir, 'spec', 'rekor-v1', 'testdata', 'tests', 'rekor.json'))]) {
      await expectError((JSON.parse(file.toString()) as { spec: unknown }).spec, /^data\.url: fetching URLs is not enabled on this server/u);
    }
  });
});

describe('rekord 0.0.1: entries made by real tools', () => {
  const made: Record<string, Material> = {};
  before(() => {
    Object.assign(made, {
      'x509 P-256': x509Material('ec'),
      'x509 Ed25519': x509Material('ed25519'),
      'x509 RSA-2048': x509Material('rsa'),
      pgp: pgpMaterial(),
      minisign: minisignMaterial(),
      ssh: sshMaterial(),
    });
  });
  const subjects: Record<string, string[]> = { pgp: ['alice@example.com'], ssh: ['alice@example.com'] };
  for (const name of ['x509 P-256', 'x509 Ed25519', 'x509 RSA-2048', 'pgp', 'minisign', 'ssh']) {
    test(`${name}: valid, with and without data.hash`, async () => {
      const m = made[name] as Material;
      const entry = await canonicalizeRekord(specOf(m), ctx);
      const spec = checkBody(entry);
      assert.deepEqual(spec.data.hash, { algorithm: 'sha256', value: artifactHash });
      assert.equal(spec.signature['format'], m.format);
      const key = Buffer.from((spec.signature['publicKey'] as { content: string }).content, 'base64');
      assert.deepEqual(entry.indexKeys, [sha256(key), ...(subjects[name] ?? []), `sha256:${artifactHash}`]);
      const hashed = await canonicalizeRekord(specOf(m, ARTIFACT, artifactHash), ctx);
      assert.deepEqual(hashed.body, entry.body, 'a correct data.hash changes nothing');
      if (m.format === 'pgp') assert.equal(spec.signature['content'], b64(m.signature), 'armored PGP signatures are kept byte-for-byte');
    });
    test(`${name}: tampered entries are refused`, async () => {
      const m = made[name] as Material;
      const other = made[name === 'pgp' ? 'ssh' : 'pgp'] as Material;
      const wrongKey = made[name === 'x509 P-256' ? 'x509 Ed25519' : name === 'x509 Ed25519' ? 'x509 P-256' : name] as Material;
      await expectError(specOf(m, Buffer.from('another artifact\n')), /^verifying signature: /u);
      await expectError(specOf({ ...m, signature: m.signature.subarray(0, Math.floor(m.signature.length / 2)) }), /./u);
      if (wrongKey !== m) await expectError(specOf({ ...m, key: wrongKey.key }), /^verifying signature: /u);
      await expectError(specOf({ ...m, key: other.key }), /./u);
    });
  }
  test('wrong key of the same format is refused for every format', async () => {
    const fresh: Record<string, () => Material> = { pgp: () => pgpMaterial(), minisign: () => minisignMaterial(), ssh: () => sshMaterial(), x509: () => x509Material('ec') };
    for (const [name, make] of Object.entries(fresh)) {
      const m = made[name === 'x509' ? 'x509 P-256' : name] as Material;
      await expectError(specOf({ ...m, key: make().key }), /^verifying signature: /u);
    }
  });
  test('hash mismatch and upper-case hash', async () => {
    const m = made['x509 P-256'] as Material;
    const wrong = sha256(Buffer.from('x'));
    await expectError(specOf(m, ARTIFACT, wrong), `SHA mismatch: ${artifactHash} != ${wrong}`);
    await expectError(specOf(m, ARTIFACT, artifactHash.toUpperCase()), `SHA mismatch: ${artifactHash} != ${artifactHash.toUpperCase()}`);
    await expectError(specOf(m, ARTIFACT, artifactHash.slice(2)), 'invalid value for hash');
  });
});

describe('rekord 0.0.1: malformed specs', () => {
  const good = (): Spec => specOf({ format: 'x509', key: Buffer.from('k'), signature: Buffer.from('s') });
  const edit = (f: (s: Spec & { signature: Spec; data: Spec }) => void): Spec => {
    const s = good() as Spec & { signature: Spec; data: Spec };
    f(s);
    return s;
  };
  const cases: Array<{ name: string; spec: unknown; want: string | RegExp }> = [
    { name: 'not an object', spec: [], want: 'unsupported input type []interface {} for DecodeEntry' },
    { name: 'empty', spec: {}, want: 'validation failure list:\nsignature in body is required\ndata in body is required' },
    { name: 'bad format', spec: edit((s) => (s.signature['format'] = 'pkcs7')), want: 'validation failure list:\nsignature.signature.format in body should be one of [pgp minisign x509 ssh]' },
    { name: 'no key content', spec: edit((s) => (s.signature['publicKey'] = {})), want: 'validation failure list:\nsignature.signature.publicKey.signature.publicKey.content in body is required' },
    { name: 'bad hash algorithm', spec: edit((s) => (s.data['hash'] = { algorithm: 'sha512', value: 'ab' })), want: 'validation failure list:\ndata.data.hash.data.hash.algorithm in body should be one of [sha256]' },
    { name: 'no data content', spec: edit((s) => delete s.data['content']), want: "'content' must be specified for data" },
    { name: 'hash without content', spec: edit((s) => { delete s.data['content']; s.data['hash'] = { algorithm: 'sha256', value: artifactHash }; }), want: 'entry not insertable into log: missing data content' },
    { name: 'bad base64', spec: edit((s) => (s.data['content'] = '!!')), want: /^failed parsing base64 data for data content: /u },
    { name: 'signature url', spec: edit((s) => (s.signature['url'] = 'https://example.com/sig')), want: /^signature\.url: fetching URLs is not enabled/u },
    { name: 'key url', spec: edit((s) => ((s.signature['publicKey'] as Spec)['url'] = 'https://example.com/key')), want: /^signature\.publicKey\.url: fetching URLs is not enabled/u },
    { name: 'data url', spec: edit((s) => (s.data['url'] = 'https://example.com/a')), want: /^data\.url: fetching URLs is not enabled/u },
  ];
  for (const c of cases) test(c.name, () => expectError(c.spec, c.want));
});
