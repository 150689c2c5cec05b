/**
 * Attestation storage: an intoto entry's decoded payload is stored in the same transaction as
 * the entry, left out of the 201 (as Rekor does) and returned in `attestation` on reads; one
 * larger than --max-attestation-size is refused with 413 and nothing is written. A cose entry's
 * message is its attestation when it fits; a larger one is skipped and the entry still logged,
 * as Rekor does.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { testKey } from '../src/pki/x509/testonly.js';
import { makeMessage, proposal } from '../src/types/cose/v0.0.1/testonly.js';
import { IN_TOTO, signEnvelope, statement, v002Spec } from '../src/types/intoto/testonly.js';
import { appFixture, JSON_HEADERS, type AppFixture } from './app-fixture.js';
import { hashedRekord } from './entries.js';

const LIMIT = 4096;

function intotoEntry(payload: Uint8Array): string {
  const key = testKey('P-256');
  return JSON.stringify({ apiVersion: '0.0.2', kind: 'intoto', spec: v002Spec(signEnvelope([key], IN_TOTO, payload), [key.pem]) });
}

describe('attestation storage', () => {
  let fx: AppFixture;
  before(async () => {
    fx = await appFixture({ maxAttestationSize: LIMIT });
  });
  after(async () => fx.close());
  const post = (payload: string) => fx.app.inject({ method: 'POST', url: '/api/v1/log/entries', headers: JSON_HEADERS, payload });

  it('stores the intoto payload, omits it from the 201 and returns it on every read', async () => {
    const payload = statement(randomBytes(32).toString('hex'));
    const created = await post(intotoEntry(payload));
    assert.equal(created.statusCode, 201, created.body);
    const [id, value] = Object.entries(JSON.parse(created.body) as Record<string, { attestation?: unknown; logIndex: number }>)[0] ?? [];
    assert.ok(id && value);
    assert.equal(value.attestation, undefined, 'no attestation in the 201');

    const reads = [
      await fx.app.inject({ method: 'GET', url: `/api/v1/log/entries/${id}` }),
      await fx.app.inject({ method: 'GET', url: `/api/v1/log/entries?logIndex=${value.logIndex}` }),
      await fx.app.inject({ method: 'POST', url: '/api/v1/log/entries/retrieve', headers: JSON_HEADERS, payload: JSON.stringify({ entryUUIDs: [id] }) }),
    ];
    for (const read of reads) {
      assert.equal(read.statusCode, 200);
      type Entries = Record<string, { attestation?: { data: string } }>;
      const parsed = JSON.parse(read.body) as Entries | Entries[];
      const map: Entries | undefined = Array.isArray(parsed) ? parsed[0] : parsed;
      const entry: { attestation?: { data: string } } | undefined = map?.[id];
      assert.equal(entry?.attestation?.data, Buffer.from(payload).toString('base64'));
    }
  });

  it('returns no attestation for kinds that have none', async () => {
    const created = await post(JSON.stringify(hashedRekord()));
    const id = Object.keys(JSON.parse(created.body) as object)[0];
    const read = await fx.app.inject({ method: 'GET', url: `/api/v1/log/entries/${id}` });
    assert.ok(!read.body.includes('"attestation"'));
  });

  it('refuses an attestation over the limit with 413, writing nothing', async () => {
    const before = await fx.log.head();
    const big = new TextEncoder().encode(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', padding: 'x'.repeat(LIMIT) }));
    const response = await post(intotoEntry(big));
    assert.equal(response.statusCode, 413);
    const body = JSON.parse(response.body) as { code: number; message: string };
    assert.equal(body.code, 413);
    assert.match(body.message, new RegExp(`larger than the limit of ${LIMIT} bytes`));
    assert.equal((await fx.log.head()).size, before.size);
  });

  it('keeps a cose message as the attestation when it fits, and logs a larger one without it', async () => {
    const key = testKey('P-256');
    const read = async (id: string) => {
      const res = await fx.app.inject({ method: 'GET', url: `/api/v1/log/entries/${id}` });
      assert.equal(res.statusCode, 200, res.body);
      return (JSON.parse(res.body) as Record<string, { attestation?: { data: string } }>)[id];
    };
    const small = makeMessage(key, statement(randomBytes(16).toString('hex')));
    const created = await post(JSON.stringify({ kind: 'cose', apiVersion: '0.0.1', spec: proposal(small, key.pem) }));
    assert.equal(created.statusCode, 201, created.body);
    const smallId = Object.keys(JSON.parse(created.body) as object)[0] as string;
    assert.equal((await read(smallId))?.attestation?.data, Buffer.from(small).toString('base64'));

    const large = makeMessage(key, new TextEncoder().encode('y'.repeat(LIMIT)));
    assert.ok(large.length > LIMIT);
    const logged = await post(JSON.stringify({ kind: 'cose', apiVersion: '0.0.1', spec: proposal(large, key.pem) }));
    assert.equal(logged.statusCode, 201, logged.body);
    const largeId = Object.keys(JSON.parse(logged.body) as object)[0] as string;
    const entry = await read(largeId);
    assert.ok(entry !== undefined);
    assert.equal(entry.attestation, undefined);
  });
});
