/** The jar kind through the HTTP API: a JDK-signed JAR is logged, read back and found by hash. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { encodePem } from '../src/pki/pem.js';
import { entriesOf, jarWorkspace, replaceEntry, specOf, type JarWorkspace } from '../src/types/jar/v0.0.1/testonly.js';
import { appFixture, JSON_HEADERS, type AppFixture } from './app-fixture.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('jar entries over the API', () => {
  let fx: AppFixture;
  let ws: JarWorkspace;
  let jar: Buffer;
  const post = (url: string, body: unknown) => fx.app.inject({ method: 'POST', url, headers: JSON_HEADERS, payload: JSON.stringify(body) });

  before(async () => {
    fx = await appFixture();
    ws = jarWorkspace();
    ws.makeKey('signer', 'EC');
    jar = ws.sign(ws.unsignedJar(), 'signer');
  });
  after(async () => {
    ws.dispose();
    await fx.close();
  });

  it('POST → 201, GET returns the canonical body, the index finds it by archive hash', async () => {
    const response = await post('/api/v1/log/entries', { apiVersion: '0.0.1', kind: 'jar', spec: specOf(jar) });
    assert.equal(response.statusCode, 201, response.body);
    const [id, value] = Object.entries(JSON.parse(response.body) as Record<string, { body: string; logIndex: number }>)[0] as [string, { body: string; logIndex: number }];

    const got = await fx.app.inject({ method: 'GET', url: `/api/v1/log/entries/${id}` });
    assert.equal(got.statusCode, 200, got.body);
    const stored = (JSON.parse(got.body) as Record<string, { body: string }>)[id];
    assert.equal(stored?.body, value.body);
    const body = JSON.parse(Buffer.from(value.body, 'base64').toString()) as {
      kind: string;
      spec: { archive: { hash: { value: string } }; signature: { content: string; publicKey: { content: string } } };
    };
    assert.equal(body.kind, 'jar');
    assert.equal(body.spec.archive.hash.value, sha256(jar));
    const block = entriesOf(jar).find((e) => e.name === 'META-INF/SIGNER.EC')?.data as Buffer;
    assert.equal(Buffer.from(body.spec.signature.content, 'base64').toString(), encodePem('PKCS7', block));
    assert.equal(Buffer.from(body.spec.signature.publicKey.content, 'base64').toString(), encodePem('CERTIFICATE', ws.certificate('signer')));

    const byIndex = await fx.app.inject({ method: 'GET', url: `/api/v1/log/entries?logIndex=${value.logIndex}` });
    assert.equal(byIndex.statusCode, 200);
    assert.deepEqual(Object.keys(JSON.parse(byIndex.body) as object), [id]);

    const search = async (query: unknown) => JSON.parse((await post('/api/v1/index/retrieve', query)).body) as string[];
    assert.deepEqual(await search({ hash: `sha256:${sha256(jar)}` }), [id]);
    assert.deepEqual(await search({ hash: sha256(jar).toUpperCase() }), [id]);
    // Rekor indexes the hash of the PKCS7 signature PEM, not of the certificate, so a publicKey
    // search with the signer's certificate finds nothing (REKOR-NOTES: jar index keys).
    const certificate = Buffer.from(encodePem('CERTIFICATE', ws.certificate('signer'))).toString('base64');
    assert.deepEqual(await search({ publicKey: { format: 'x509', content: certificate } }), []);

    const again = await post('/api/v1/log/entries', { apiVersion: '0.0.1', kind: 'jar', spec: specOf(jar) });
    assert.equal(again.statusCode, 409, 'the same JAR twice is a duplicate');
  });

  it('a tampered JAR is a 400 naming the problem', async () => {
    const tampered = replaceEntry(jar, 'README.md', (d) => Buffer.concat([d, Buffer.from('!')]));
    const response = await post('/api/v1/log/entries', { apiVersion: '0.0.1', kind: 'jar', spec: specOf(tampered) });
    assert.equal(response.statusCode, 400);
    const error = JSON.parse(response.body) as { code: number; message: string };
    assert.equal(error.code, 400);
    assert.match(error.message, /^error processing entry: file "README\.md" in MANIFEST\.MF: Sha-256-Digest mismatch: /u);
    const unsigned = await post('/api/v1/log/entries', { apiVersion: '0.0.1', kind: 'jar', spec: specOf(ws.unsignedJar()) });
    assert.equal(unsigned.statusCode, 400);
    assert.equal((JSON.parse(unsigned.body) as { message: string }).message, 'error processing entry: JAR contains no signatures');
  });
});
