/**
 * Index search over HTTP for rekord entries in every PKI format, with keys and signatures made by
 * gpg, ssh-keygen and minisign: each entry is found by its artifact hash, its key (in any encoding
 * the format allows) and the email its key carries, and by nothing that belongs to another entry;
 * `and` intersects, `or` unions.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { decodeArmor } from '../src/pki/pgp/armor.js';
import { minisignMaterial, pgpMaterial, specOf, sshMaterial, x509Material, type Material } from '../src/types/rekord/v0.0.1/testonly.js';
import { appFixture, type AppFixture } from './app-fixture.js';

const ARTIFACT_A = Buffer.from('artifact A\n');
const ARTIFACT_B = Buffer.from('artifact B\n');
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

describe('index search by key, email and hash for every rekord format', () => {
  let fixture: AppFixture;
  const m: Record<string, Material> = {};
  const uuid: Record<string, string> = {};

  before(async () => {
    fixture = await appFixture();
    m['alice'] = pgpMaterial(ARTIFACT_A, 'Alice <alice@example.com>');
    m['bob'] = pgpMaterial(ARTIFACT_B, 'Bob <Bob@Example.org>');
    m['ssh'] = sshMaterial(ARTIFACT_A, 'carol@example.net');
    m['minisign'] = minisignMaterial(ARTIFACT_B);
    m['x509'] = x509Material('ec', ARTIFACT_A);
    const artifacts: Record<string, Buffer> = { alice: ARTIFACT_A, bob: ARTIFACT_B, ssh: ARTIFACT_A, minisign: ARTIFACT_B, x509: ARTIFACT_A };
    for (const [name, material] of Object.entries(m)) {
      const res = await fixture.app.inject({
        method: 'POST',
        url: '/api/v1/log/entries',
        payload: { kind: 'rekord', apiVersion: '0.0.1', spec: specOf(material, artifacts[name]) },
      });
      assert.equal(res.statusCode, 201, `${name}: ${res.body}`);
      uuid[name] = Object.keys(res.json() as object)[0] as string;
    }
  });
  after(async () => fixture.close());

  async function search(query: Record<string, unknown>): Promise<string[]> {
    const res = await fixture.app.inject({ method: 'POST', url: '/api/v1/index/retrieve', payload: query });
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as string[]).sort();
  }
  const ids = (...names: string[]): string[] => names.map((n) => uuid[n] as string).sort();
  const key = (name: string, format = m[name]?.format): Record<string, unknown> => ({ publicKey: { format, content: b64(m[name]?.key as Uint8Array) } });

  test('each key finds its own entry only', async () => {
    for (const name of ['alice', 'bob', 'ssh', 'minisign', 'x509']) {
      assert.deepEqual(await search(key(name)), ids(name), name);
    }
  });

  test('a PGP key finds its entry armored or binary', async () => {
    const binary = decodeArmor(Buffer.from(m['alice']?.key as Uint8Array).toString())?.body as Uint8Array;
    assert.deepEqual(await search({ publicKey: { format: 'pgp', content: b64(binary) } }), ids('alice'));
  });

  test('emails in PGP user IDs and SSH comments are searchable, in any case', async () => {
    assert.deepEqual(await search({ email: 'alice@example.com' }), ids('alice'));
    assert.deepEqual(await search({ email: 'bob@example.org' }), ids('bob'));
    assert.deepEqual(await search({ email: 'BOB@EXAMPLE.ORG' }), ids('bob'));
    assert.deepEqual(await search({ email: 'carol@example.net' }), ids('ssh'));
    assert.deepEqual(await search({ email: 'mallory@example.com' }), []);
    // Rekor indexes key identities once; `subject` searches the same keys as `email`.
    assert.deepEqual(await search({ subject: 'carol@example.net' }), ids('ssh'));
  });

  test('artifact hashes find every entry over that artifact', async () => {
    assert.deepEqual(await search({ hash: `sha256:${sha256(ARTIFACT_A)}` }), ids('alice', 'ssh', 'x509'));
    assert.deepEqual(await search({ hash: sha256(ARTIFACT_B).toUpperCase() }), ids('bob', 'minisign'));
  });

  test('and intersects, or unions', async () => {
    const hashA = sha256(ARTIFACT_A);
    assert.deepEqual(await search({ ...key('alice'), hash: hashA, operator: 'and' }), ids('alice'));
    assert.deepEqual(await search({ ...key('bob'), hash: hashA, operator: 'and' }), []);
    assert.deepEqual(await search({ ...key('bob'), hash: hashA, operator: 'or' }), ids('alice', 'bob', 'ssh', 'x509'));
    assert.deepEqual(await search({ ...key('minisign'), email: 'alice@example.com' }), ids('alice', 'minisign'));
    assert.deepEqual(await search({ ...key('ssh'), email: 'carol@example.net', hash: hashA, operator: 'and' }), ids('ssh'));
  });

  test('a key given in the wrong format is a 400, not an empty result', async () => {
    const res = await fixture.app.inject({ method: 'POST', url: '/api/v1/index/retrieve', payload: key('ssh', 'pgp') });
    assert.equal(res.statusCode, 400, res.body);
    assert.deepEqual(res.json(), { code: 400, message: 'public key provided could not be parsed' });
  });
});
