/** helm 0.0.1 over HTTP: a gpg-signed provenance is logged, read back and found by its index keys. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { CHART_DIGEST, helmSpec, provenanceSigner, provenanceText, type ProvenanceSigner } from '../src/types/helm/v0.0.1/testonly.js';
import { appFixture, JSON_HEADERS, type AppFixture } from './app-fixture.js';
import { testdataPath } from './testdata.js';

describe('helm entries through the API', () => {
  let fx: AppFixture;
  let signer: ProvenanceSigner;
  const post = (url: string, body: unknown) => fx.app.inject({ method: 'POST', url, headers: JSON_HEADERS, payload: JSON.stringify(body) });
  const search = async (query: unknown) => JSON.parse((await post('/api/v1/index/retrieve', query)).body) as string[];

  before(async () => {
    fx = await appFixture();
    signer = provenanceSigner('Helm Tester <helm@example.com>');
  });
  after(async () => {
    signer.dispose();
    await fx.close();
  });

  it('logs a signed provenance, reads it back and finds it by chart digest, key and email', async () => {
    const prov = signer.clearsign(provenanceText());
    const response = await post('/api/v1/log/entries', { apiVersion: '0.0.1', kind: 'helm', spec: helmSpec(signer.publicKey, prov) });
    assert.equal(response.statusCode, 201, response.body);
    const [uuid, value] = Object.entries(JSON.parse(response.body) as Record<string, { body: string }>)[0] as [string, { body: string }];
    const body = JSON.parse(Buffer.from(value.body, 'base64').toString()) as { kind: string; spec: { chart: { hash: { value: string } } } };
    assert.equal(body.kind, 'helm');
    assert.equal(body.spec.chart.hash.value, CHART_DIGEST);

    const read = await fx.app.inject({ method: 'GET', url: `/api/v1/log/entries/${uuid}` });
    assert.equal(read.statusCode, 200, read.body);
    assert.equal((Object.values(JSON.parse(read.body) as Record<string, { body: string }>)[0] as { body: string }).body, value.body);

    assert.deepEqual(await search({ hash: `sha256:${CHART_DIGEST}` }), [uuid]);
    assert.deepEqual(await search({ publicKey: { format: 'pgp', content: Buffer.from(signer.publicKey).toString('base64') } }), [uuid]);
    assert.deepEqual(await search({ email: 'helm@example.com' }), [uuid]);

    const again = await post('/api/v1/log/entries', { apiVersion: '0.0.1', kind: 'helm', spec: helmSpec(signer.publicKey, prov) });
    assert.equal(again.statusCode, 409, again.body);
  });

  it('answers 400 for a tampered provenance and for the wrong key', async () => {
    const prov = Buffer.from(signer.clearsign(provenanceText())).toString().replace('name: demo', 'name: evil');
    const tampered = await post('/api/v1/log/entries', { apiVersion: '0.0.1', kind: 'helm', spec: helmSpec(signer.publicKey, Buffer.from(prov)) });
    assert.equal(tampered.statusCode, 400, tampered.body);
    assert.match((JSON.parse(tampered.body) as { message: string }).message, /pgp verification failed/);
    const otherKey = readFileSync(testdataPath('artifacts', 'helm', 'test_helm_armor.pub'));
    const wrongKey = await post('/api/v1/log/entries', { apiVersion: '0.0.1', kind: 'helm', spec: helmSpec(otherKey, signer.clearsign(provenanceText())) });
    assert.equal(wrongKey.statusCode, 400, wrongKey.body);
    assert.match((JSON.parse(wrongKey.body) as { message: string }).message, /signature made by unknown entity/);
  });
});
