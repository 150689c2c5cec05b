/** The rpm kind through the HTTP API: create, read back, find by the index keys Rekor writes. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createRpmFactory, specOf, type RpmFactory } from '../src/types/rpm/v0.0.1/testonly.js';
import { appFixture, JSON_HEADERS, type AppFixture } from './app-fixture.js';

type LogEntryValue = { body: string; logIndex: number };

describe('rpm entries over the API', () => {
  let fx: AppFixture;
  let factory: RpmFactory;
  let key: Uint8Array;
  let signed: Uint8Array;
  const post = (url: string, body: unknown) => fx.app.inject({ method: 'POST', url, headers: JSON_HEADERS, payload: JSON.stringify(body) });
  const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

  before(async () => {
    factory = createRpmFactory();
    key = factory.addKey('API Signer <api-signer@example.com>', 'rsa2048');
    signed = factory.sign(factory.build({ name: 'api-pkg' }), { signer: 'api-signer@example.com' });
    fx = await appFixture({ maxRequestBodySize: 4 << 20 });
  });
  after(async () => {
    await fx.close();
    factory.dispose();
  });

  it('logs a signed rpm (201), reads it back and finds it by hash, key and email', async () => {
    const response = await post('/api/v1/log/entries', { apiVersion: '0.0.1', kind: 'rpm', spec: specOf(key, signed) });
    assert.equal(response.statusCode, 201, response.body);
    const [id, value] = Object.entries(JSON.parse(response.body) as Record<string, LogEntryValue>)[0] as [string, LogEntryValue];
    const body = JSON.parse(Buffer.from(value.body, 'base64').toString()) as {
      kind: string;
      spec: { package: { hash: { value: string }; headers: Record<string, string> }; publicKey: { content: string } };
    };
    assert.equal(body.kind, 'rpm');
    assert.equal(body.spec.package.hash.value, sha256(signed));
    assert.equal(body.spec.package.headers['Name'], 'api-pkg');

    const byUuid = await fx.app.inject({ method: 'GET', url: `/api/v1/log/entries/${id}` });
    assert.equal(byUuid.statusCode, 200, byUuid.body);
    assert.equal((JSON.parse(byUuid.body) as Record<string, LogEntryValue>)[id]?.body, value.body);
    const byIndex = await fx.app.inject({ method: 'GET', url: `/api/v1/log/entries?logIndex=${value.logIndex}` });
    assert.equal(byIndex.statusCode, 200, byIndex.body);

    const byHash = JSON.parse((await post('/api/v1/index/retrieve', { hash: `sha256:${sha256(signed)}` })).body) as string[];
    assert.deepEqual(byHash, [id]);
    const byKey = JSON.parse((await post('/api/v1/index/retrieve', { publicKey: { format: 'pgp', content: Buffer.from(key).toString('base64') } })).body) as string[];
    assert.deepEqual(byKey, [id]);
    const byEmail = JSON.parse((await post('/api/v1/index/retrieve', { email: 'api-signer@example.com' })).body) as string[];
    assert.deepEqual(byEmail, [id]);
    // The stored key is the canonical one the key search hashes.
    const canonicalHash = sha256(Buffer.from(body.spec.publicKey.content, 'base64'));
    const byCanonical = JSON.parse((await post('/api/v1/index/retrieve', { publicKey: { format: 'pgp', content: body.spec.publicKey.content } })).body) as string[];
    assert.deepEqual(byCanonical, [id], canonicalHash);
  });

  it('refuses a tampered package with a 400 naming the problem', async () => {
    const tampered = Buffer.from(signed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    const response = await post('/api/v1/log/entries', { apiVersion: '0.0.1', kind: 'rpm', spec: specOf(key, tampered) });
    assert.equal(response.statusCode, 400, response.body);
    assert.match((JSON.parse(response.body) as { message: string }).message, /payload SHA-256 digest mismatch/u);
  });

  it('refuses a package URL with a 400', async () => {
    const response = await post('/api/v1/log/entries', { apiVersion: '0.0.1', kind: 'rpm', spec: { publicKey: { content: Buffer.from(key).toString('base64') }, package: { url: 'https://example.com/p.rpm' } } });
    assert.equal(response.statusCode, 400, response.body);
    assert.match((JSON.parse(response.body) as { message: string }).message, /package\.url: fetching URLs is not enabled/u);
  });
});
