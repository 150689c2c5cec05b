/** The alpine kind through the HTTP API: an abuild-style package is logged, read back and found. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { verifyLogEntry } from '../src/client/verify/index.js';
import { ApkBuilder, specOf, type ApkParts } from '../src/types/alpine/testonly.js';
import { appFixture, JSON_HEADERS, type AppFixture } from './app-fixture.js';

type LogEntryValue = { body: string; logIndex: number; verification: { inclusionProof: { logIndex: number } } };

describe('alpine entries over HTTP', () => {
  let fx: AppFixture;
  let builder: ApkBuilder;
  let parts: ApkParts;
  let publicKeyPem: string;
  const post = (url: string, body: unknown) => fx.app.inject({ method: 'POST', url, headers: JSON_HEADERS, payload: JSON.stringify(body) });

  before(async () => {
    fx = await appFixture();
    builder = new ApkBuilder();
    parts = builder.build();
    publicKeyPem = (await fx.app.inject({ method: 'GET', url: '/api/v1/log/publicKey' })).body;
  });
  after(async () => {
    builder.dispose();
    await fx.close();
  });

  it('POST → 201; GET by UUID and by index return it; index search finds it by package hash and by key', async () => {
    const proposed = { apiVersion: '0.0.1', kind: 'alpine', spec: specOf(parts.apk, builder.publicKey) };
    const response = await post('/api/v1/log/entries', proposed);
    assert.equal(response.statusCode, 201, response.body);
    const created = JSON.parse(response.body) as Record<string, LogEntryValue>;
    const [id, value] = Object.entries(created)[0] as [string, LogEntryValue];
    assert.equal(response.headers['location'], `/api/v1/log/entries/${id}`);
    verifyLogEntry(created, [{ publicKey: publicKeyPem, name: 'rekor.test' }], { require: { inclusionProof: true, checkpoint: true, signedEntryTimestamp: true } });

    const body = JSON.parse(Buffer.from(value.body, 'base64').toString()) as { kind: string; spec: { package: { hash: { value: string }; pkginfo: Record<string, string> } } };
    const hash = createHash('sha256').update(parts.apk).digest('hex');
    assert.equal(body.kind, 'alpine');
    assert.equal(body.spec.package.hash.value, hash);
    assert.equal(body.spec.package.pkginfo['pkgname'], 'hello');
    assert.equal(id.slice(16), createHash('sha256').update(Buffer.concat([Buffer.of(0), Buffer.from(value.body, 'base64')])).digest('hex'));

    const byUuid = await fx.app.inject({ method: 'GET', url: `/api/v1/log/entries/${id}` });
    assert.equal(byUuid.statusCode, 200);
    assert.equal((JSON.parse(byUuid.body) as Record<string, LogEntryValue>)[id]?.body, value.body);
    const byIndex = await fx.app.inject({ method: 'GET', url: `/api/v1/log/entries?logIndex=${value.logIndex}` });
    assert.equal(byIndex.statusCode, 200);
    assert.deepEqual(Object.keys(JSON.parse(byIndex.body) as object), [id]);

    const search = async (query: unknown) => JSON.parse((await post('/api/v1/index/retrieve', query)).body) as string[];
    assert.deepEqual(await search({ hash: `sha256:${hash}` }), [id]);
    assert.deepEqual(await search({ publicKey: { format: 'x509', content: builder.publicKey.toString('base64') } }), [id]);

    const again = await post('/api/v1/log/entries', proposed);
    assert.equal(again.statusCode, 409);
  });

  it('refuses a package whose signature does not verify, and a url, with 400 and Rekor-style messages', async () => {
    const other = builder.keyPair('rsa').publicKey;
    const wrongKey = await post('/api/v1/log/entries', { apiVersion: '0.0.1', kind: 'alpine', spec: specOf(parts.apk, other) });
    assert.equal(wrongKey.statusCode, 400);
    assert.deepEqual(JSON.parse(wrongKey.body), { code: 400, message: 'error processing entry: crypto/rsa: verification error' });
    const url = await post('/api/v1/log/entries', { apiVersion: '0.0.1', kind: 'alpine', spec: { publicKey: { content: builder.publicKey.toString('base64') }, package: { url: 'https://example.org/x.apk' } } });
    assert.equal(url.statusCode, 400);
    assert.match((JSON.parse(url.body) as { message: string }).message, /^error processing entry: package\.url: fetching URLs is not enabled/u);
  });
});
