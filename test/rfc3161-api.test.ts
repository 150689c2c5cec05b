/** rfc3161 entries over HTTP: log a real openssl TSA response, read it back, find it by its hash key. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { verifyLogEntry } from '../src/client/verify/index.js';
import { elementAt, flipByte, OpensslWorkspace } from '../src/pki/pkcs7/testonly.js';
import { appFixture, JSON_HEADERS, type AppFixture } from './app-fixture.js';
import { testdataPath } from './testdata.js';

type LogEntryValue = { body: string; logIndex: number; verification: { inclusionProof: unknown; signedEntryTimestamp: string } };

const proposed = (tsr: Uint8Array) => ({ apiVersion: '0.0.1', kind: 'rfc3161', spec: { tsr: { content: Buffer.from(tsr).toString('base64') } } });

describe('rfc3161 over the Rekor v1 API', () => {
  let fx: AppFixture;
  let ws: OpensslWorkspace;
  let publicKeyPem: string;
  const post = (url: string, body: unknown) => fx.app.inject({ method: 'POST', url, headers: JSON_HEADERS, payload: JSON.stringify(body) });

  before(async () => {
    fx = await appFixture();
    ws = new OpensslWorkspace();
    publicKeyPem = (await fx.app.inject({ method: 'GET', url: '/api/v1/log/publicKey' })).body;
  });
  after(async () => {
    ws.dispose();
    await fx.close();
  });

  it('logs openssl and production responses (201), reads them back, finds them by sha256 of the DER', async () => {
    const responses = [
      ws.timestamp(ws.signer('rsa')),
      ws.timestamp(ws.signer('ec-p256')),
      readFileSync(testdataPath('artifacts', 'rfc3161', 'rekor-test.tsr')),
    ];
    for (const tsr of responses) {
      const response = await post('/api/v1/log/entries', proposed(tsr));
      assert.equal(response.statusCode, 201, response.body);
      const created = JSON.parse(response.body) as Record<string, LogEntryValue>;
      const [id, value] = Object.entries(created)[0] as [string, LogEntryValue];
      const body = `{"apiVersion":"0.0.1","kind":"rfc3161","spec":{"tsr":{"content":"${Buffer.from(tsr).toString('base64')}"}}}`;
      assert.equal(Buffer.from(value.body, 'base64').toString('utf8'), body);
      verifyLogEntry(created, [{ publicKey: publicKeyPem, name: 'rekor.test' }], { require: { inclusionProof: true, signedEntryTimestamp: true } });

      const byId = await fx.app.inject({ method: 'GET', url: `/api/v1/log/entries/${id}` });
      assert.equal(byId.statusCode, 200);
      assert.equal((JSON.parse(byId.body) as Record<string, LogEntryValue>)[id]?.body, value.body);
      const byIndex = await fx.app.inject({ method: 'GET', url: `/api/v1/log/entries?logIndex=${value.logIndex}` });
      assert.deepEqual(Object.keys(JSON.parse(byIndex.body) as object), [id]);

      const hex = createHash('sha256').update(tsr).digest('hex');
      for (const hash of [`sha256:${hex}`, hex, `sha256:${hex.toUpperCase()}`]) {
        const found = await post('/api/v1/index/retrieve', { hash });
        assert.equal(found.statusCode, 200, found.body);
        assert.deepEqual(JSON.parse(found.body), [id], hash);
      }
      const duplicate = await post('/api/v1/log/entries', proposed(tsr));
      assert.equal(duplicate.statusCode, 409);
    }
  });

  it('refuses bad responses with 400 and Rekor message', async () => {
    const tsr = ws.timestamp(ws.signer('ec-p256'));
    const { node, offset } = elementAt(tsr, [1, 1, 0, 2, 1, 0]);
    const cases: Array<[Uint8Array, string | RegExp]> = [
      [flipByte(tsr, offset + node.raw.length - 1), 'error processing entry: tsr verification error: pkcs7: content digest does not match'],
      [Buffer.alloc(10 * 1024 + 1, 1), 'error processing entry: tsr exceeds maximum allowed size (10kB)'],
      [tsr.subarray(0, tsr.length - 20), /^error processing entry: asn1: /u],
      [ws.timestamp(ws.signer('rsa'), { imprintDigest: 'sha1' }), 'error processing entry: tsr status not granted: 2'],
    ];
    for (const [bad, message] of cases) {
      const response = await post('/api/v1/log/entries', proposed(bad));
      assert.equal(response.statusCode, 400, response.body);
      const json = JSON.parse(response.body) as { code: number; message: string };
      assert.equal(json.code, 400);
      if (typeof message === 'string') assert.equal(json.message, message);
      else assert.match(json.message, message);
    }
  });
});
