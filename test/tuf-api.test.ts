/** tuf 0.0.1 over HTTP: freshly signed metadata is logged, read back and found by its root. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ecdsaKey, ed25519Key, rootSigned, signEnvelope, timestampSigned, tufSpec, type Json } from '../src/types/tuf/v0.0.1/testonly.js';
import { appFixture, JSON_HEADERS, type AppFixture } from './app-fixture.js';

describe('tuf entries through the API', () => {
  let fx: AppFixture;
  const post = (url: string, body: unknown) => fx.app.inject({ method: 'POST', url, headers: JSON_HEADERS, payload: JSON.stringify(body) });
  const search = async (query: unknown) => {
    const response = await post('/api/v1/index/retrieve', query);
    assert.equal(response.statusCode, 200, response.body);
    return JSON.parse(response.body) as string[];
  };
  const [rootKey, tsKey] = [ed25519Key(), ecdsaKey()];
  const root = signEnvelope(rootSigned({ keys: { root: [rootKey], timestamp: [tsKey] } }), [rootKey]);

  before(async () => {
    fx = await appFixture();
  });
  after(async () => fx.close());

  it('logs a signed timestamp, reads it back and finds it by its root', async () => {
    const timestamp = signEnvelope(timestampSigned(42), [tsKey]);
    const response = await post('/api/v1/log/entries', { apiVersion: '0.0.1', kind: 'tuf', spec: tufSpec(timestamp, root) });
    assert.equal(response.statusCode, 201, response.body);
    const [uuid, value] = Object.entries(JSON.parse(response.body) as Record<string, { body: string }>)[0] as [string, { body: string }];
    const body = JSON.parse(Buffer.from(value.body, 'base64').toString()) as { kind: string; spec: { metadata: { content: string }; spec_version: string } };
    assert.equal(body.kind, 'tuf');
    assert.equal(body.spec.spec_version, '1.0');
    const storedMetadata = Buffer.from(body.spec.metadata.content, 'base64');
    assert.deepEqual(JSON.parse(storedMetadata.toString()), { signatures: timestamp['signatures'], signed: timestamp['signed'] });

    const read = await fx.app.inject({ method: 'GET', url: `/api/v1/log/entries/${uuid}` });
    assert.equal(read.statusCode, 200, read.body);
    assert.equal((Object.values(JSON.parse(read.body) as Record<string, { body: string }>)[0] as { body: string }).body, value.body);

    const rootContent = Buffer.from(JSON.stringify(root)).toString('base64');
    assert.deepEqual(await search({ publicKey: { format: 'tuf', content: rootContent } }), [uuid]);
    // Rekor indexes the metadata digest without a prefix, which a `hash` query (always
    // prefixed with the algorithm) does not reach.
    const digest = createHash('sha256').update(storedMetadata).digest('hex');
    assert.deepEqual(await search({ hash: digest }), []);

    const again = await post('/api/v1/log/entries', { apiVersion: '0.0.1', kind: 'tuf', spec: tufSpec(timestamp, root) });
    assert.equal(again.statusCode, 409, again.body);
  });

  it('answers 400 for tampered metadata, a wrong root and expired metadata', async () => {
    const tampered = signEnvelope(timestampSigned(43), [tsKey]);
    (tampered['signed'] as Json)['version'] = 44;
    const message = async (spec: Json) => {
      const response = await post('/api/v1/log/entries', { apiVersion: '0.0.1', kind: 'tuf', spec });
      assert.equal(response.statusCode, 400, response.body);
      return (JSON.parse(response.body) as { message: string }).message;
    };
    assert.match(await message(tufSpec(tampered, root)), /valid signatures did not meet threshold/);
    const otherRoot = signEnvelope(rootSigned({ keys: { root: [tsKey], timestamp: [rootKey] } }), [tsKey]);
    assert.match(await message(tufSpec(signEnvelope(timestampSigned(43), [tsKey]), otherRoot)), /valid signatures did not meet threshold/);
    assert.match(await message(tufSpec(signEnvelope(timestampSigned(43, '2020-01-01T00:00:00Z'), [tsKey]), root)), /expired at 2020-01-01 00:00:00 \+0000 UTC/);
    const unparsable = await post('/api/v1/index/retrieve', { publicKey: { format: 'tuf', content: Buffer.from('{}').toString('base64') } });
    assert.equal(unparsable.statusCode, 400, unparsable.body);
  });
});
