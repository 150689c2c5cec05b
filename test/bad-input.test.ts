/**
 * One table of hostile and malformed requests. Each must get a 4xx in Rekor's error shape
 * (`{"code","message"}`, or Rekor's empty 404 for entry lookups): never a 5xx, never a crash,
 * and nothing written to the log.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { appFixture, JSON_HEADERS, type AppFixture } from './app-fixture.js';
import { hashedRekord, signArtifact } from './entries.js';

interface Case {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  want: number;
  /** The `code` member; defaults to the status. null: no body at all. */
  code?: number | null;
  message?: RegExp;
}

const LIMIT = 64 * 1024;
const good = hashedRekord();
const spec = good['spec'] as { data: { hash: { value: string } }; signature: { content: string; publicKey: { content: string } } };
const withSpec = (mutate: (s: typeof spec) => unknown): string => {
  const copy = JSON.parse(JSON.stringify(spec)) as typeof spec;
  mutate(copy);
  return JSON.stringify({ ...good, spec: copy });
};
const other = signArtifact();
const post = (url: string, body: string | Buffer, extra: Partial<Case> = {}): Omit<Case, 'name' | 'want'> => ({
  method: 'POST',
  url,
  headers: JSON_HEADERS,
  body,
  ...extra,
});
const ENTRIES = '/api/v1/log/entries';
const UUID = 'ab'.repeat(32);

const cases: Case[] = [
  { name: 'malformed JSON', ...post(ENTRIES, '{"kind":'), want: 400, message: /^parsing entry body/ },
  { name: 'no content type', ...post(ENTRIES, JSON.stringify(good), { headers: {} }), want: 415, message: /application\/octet-stream/ },
  { name: 'text/plain', ...post(ENTRIES, JSON.stringify(good), { headers: { 'content-type': 'text/plain' } }), want: 415 },
  { name: 'empty body', ...post(ENTRIES, ''), want: 422, code: 602, message: /^proposedEntry in body is required$/ },
  { name: 'JSON null', ...post(ENTRIES, 'null'), want: 422, code: 602 },
  { name: 'JSON array', ...post(ENTRIES, '[]'), want: 422, code: 601 },
  { name: 'missing kind', ...post(ENTRIES, '{"apiVersion":"0.0.1","spec":{}}'), want: 422, code: 602, message: /^kind in body is required$/ },
  { name: 'unknown kind', ...post(ENTRIES, '{"kind":"nope","apiVersion":"0.0.1","spec":{}}'), want: 422, message: /^invalid kind value: "nope"$/ },
  { name: 'kind not a string', ...post(ENTRIES, '{"kind":7,"apiVersion":"0.0.1","spec":{}}'), want: 422, code: 601 },
  { name: 'missing apiVersion', ...post(ENTRIES, '{"kind":"hashedrekord","spec":{}}'), want: 422, code: 602 },
  { name: 'apiVersion not semver', ...post(ENTRIES, '{"kind":"hashedrekord","apiVersion":"1","spec":{}}'), want: 422, code: 605 },
  { name: 'missing spec', ...post(ENTRIES, '{"kind":"hashedrekord","apiVersion":"0.0.1"}'), want: 422, code: 602 },
  { name: 'unknown version', ...post(ENTRIES, JSON.stringify({ ...good, apiVersion: '9.9.9' })), want: 400, message: /^error processing entry: .*9\.9\.9/ },
  { name: 'empty spec', ...post(ENTRIES, JSON.stringify({ ...good, spec: {} })), want: 400, message: /^error processing entry: / },
  { name: 'hash not hex', ...post(ENTRIES, withSpec((s) => (s.data.hash.value = 'zz'.repeat(32)))), want: 400 },
  { name: 'hash too short', ...post(ENTRIES, withSpec((s) => (s.data.hash.value = 'ab'))), want: 400 },
  { name: 'unknown hash algorithm', ...post(ENTRIES, withSpec((s) => ((s.data.hash as { algorithm?: string }).algorithm = 'md5'))), want: 400 },
  { name: 'signature not base64', ...post(ENTRIES, withSpec((s) => (s.signature.content = '%%%not base64%%%'))), want: 400 },
  { name: 'key not base64', ...post(ENTRIES, withSpec((s) => (s.signature.publicKey.content = '***'))), want: 400 },
  { name: 'key not PEM', ...post(ENTRIES, withSpec((s) => (s.signature.publicKey.content = Buffer.from('hello').toString('base64')))), want: 400 },
  {
    name: 'garbage inside PEM',
    ...post(ENTRIES, withSpec((s) => (s.signature.publicKey.content = Buffer.from('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n').toString('base64')))),
    want: 400,
  },
  { name: 'wrong key', ...post(ENTRIES, withSpec((s) => (s.signature.publicKey.content = Buffer.from(other.publicKeyPem).toString('base64')))), want: 400, message: /verif/i },
  { name: 'altered digest', ...post(ENTRIES, withSpec((s) => (s.data.hash.value = other.digestHex))), want: 400 },
  { name: 'truncated signature', ...post(ENTRIES, withSpec((s) => (s.signature.content = Buffer.from(s.signature.content, 'base64').subarray(0, 20).toString('base64')))), want: 400 },
  { name: 'empty signature', ...post(ENTRIES, withSpec((s) => (s.signature.content = ''))), want: 400 },
  { name: 'oversize body', ...post(ENTRIES, Buffer.alloc(LIMIT + 1, 0x20)), want: 413, message: new RegExp(`^Request Entity Too Large. Limit set to ${LIMIT}$`) },
  { name: 'deeply nested JSON', ...post(ENTRIES, '['.repeat(5000) + ']'.repeat(5000)), want: 422, code: 601 },
  {
    name: 'deeply nested spec',
    ...post(ENTRIES, `{"kind":"hashedrekord","apiVersion":"0.0.1","spec":{"data":${'['.repeat(5000)}${']'.repeat(5000)}}}`),
    want: 400,
  },

  { name: 'logIndex missing', method: 'GET', url: ENTRIES, want: 422, code: 602, message: /^logIndex in query is required$/ },
  { name: 'logIndex negative', method: 'GET', url: `${ENTRIES}?logIndex=-1`, want: 422, code: 609 },
  { name: 'logIndex huge', method: 'GET', url: `${ENTRIES}?logIndex=99999999999999999999999`, want: 422, code: 601 },
  { name: 'logIndex not a number', method: 'GET', url: `${ENTRIES}?logIndex=abc`, want: 422, code: 601 },
  { name: 'logIndex beyond the end', method: 'GET', url: `${ENTRIES}?logIndex=9223372036854775807`, want: 404, code: null },
  { name: 'malformed UUID', method: 'GET', url: `${ENTRIES}/xyz`, want: 422, code: 605 },
  { name: 'UUID of 63 hex', method: 'GET', url: `${ENTRIES}/${UUID.slice(1)}`, want: 422, code: 605 },
  { name: 'EntryID with tree 0', method: 'GET', url: `${ENTRIES}/${'0'.repeat(16)}${UUID}`, want: 400 },
  { name: 'EntryID with tree above int64', method: 'GET', url: `${ENTRIES}/${'f'.repeat(16)}${UUID}`, want: 400 },
  { name: 'EntryID of an unknown tree', method: 'GET', url: `${ENTRIES}/${'1'.repeat(16)}${UUID}`, want: 404, code: null },
  { name: 'unknown UUID', method: 'GET', url: `${ENTRIES}/${UUID}`, want: 404, code: null },

  { name: 'retrieve: malformed JSON', ...post(`${ENTRIES}/retrieve`, '{'), want: 400, message: /^parsing entry body/ },
  { name: 'retrieve: empty entryUUIDs', ...post(`${ENTRIES}/retrieve`, '{"entryUUIDs":[]}'), want: 422, code: 612 },
  { name: 'retrieve: 11 UUIDs', ...post(`${ENTRIES}/retrieve`, JSON.stringify({ entryUUIDs: Array(11).fill(UUID) })), want: 422, code: 611 },
  { name: 'retrieve: bad UUID', ...post(`${ENTRIES}/retrieve`, '{"entryUUIDs":["nope"]}'), want: 422, code: 605 },
  { name: 'retrieve: negative index', ...post(`${ENTRIES}/retrieve`, '{"logIndexes":[-1]}'), want: 422, code: 609 },
  { name: 'retrieve: index not integer', ...post(`${ENTRIES}/retrieve`, '{"logIndexes":[1.5]}'), want: 422, code: 601 },
  {
    name: 'retrieve: more than 10 in all',
    ...post(`${ENTRIES}/retrieve`, JSON.stringify({ entryUUIDs: Array(6).fill(UUID), logIndexes: [1, 2, 3, 4, 5] })),
    want: 422,
    message: /^more than max allowed 10 entries in request$/,
  },
  { name: 'retrieve: invalid proposed entry', ...post(`${ENTRIES}/retrieve`, JSON.stringify({ entries: [{ ...good, spec: {} }] })), want: 400 },
  { name: 'retrieve: EntryID with tree 0', ...post(`${ENTRIES}/retrieve`, JSON.stringify({ entryUUIDs: ['0'.repeat(16) + UUID] })), want: 400, message: /^invalid entryID/ },

  { name: 'proof: lastSize missing', method: 'GET', url: '/api/v1/log/proof', want: 422, code: 602 },
  { name: 'proof: firstSize 0', method: 'GET', url: '/api/v1/log/proof?firstSize=0&lastSize=1', want: 422, code: 609 },
  { name: 'proof: first above last', method: 'GET', url: '/api/v1/log/proof?firstSize=3&lastSize=2', want: 400, message: /^firstSize\(3\) must be less than lastSize\(2\)$/ },
  { name: 'proof: beyond the tree', method: 'GET', url: '/api/v1/log/proof?firstSize=1&lastSize=1000', want: 400, message: /greater than what is currently observable/ },
  { name: 'proof: unknown tree', method: 'GET', url: '/api/v1/log/proof?lastSize=1&treeID=12345', want: 400, message: /^no log range found for tree ID 12345$/ },
  { name: 'proof: tree not numeric', method: 'GET', url: '/api/v1/log/proof?lastSize=1&treeID=abc', want: 422, code: 605 },
  { name: 'publicKey: unknown tree', method: 'GET', url: '/api/v1/log/publicKey?treeID=12345', want: 400, message: /^Bad Request$/ },
  { name: 'publicKey: unacceptable Accept', method: 'GET', url: '/api/v1/log/publicKey', headers: { accept: 'text/html' }, want: 406 },

  { name: 'index: bad hash', ...post('/api/v1/index/retrieve', '{"hash":"sha256:zz"}'), want: 422, code: 605 },
  { name: 'index: bad email', ...post('/api/v1/index/retrieve', '{"email":"not an email"}'), want: 422, code: 601 },
  { name: 'index: bad operator', ...post('/api/v1/index/retrieve', '{"hash":"' + 'a'.repeat(64) + '","operator":"xor"}'), want: 422, code: 606 },
  { name: 'index: format missing', ...post('/api/v1/index/retrieve', '{"publicKey":{"content":"AAAA"}}'), want: 422, code: 602 },
  { name: 'index: unknown format', ...post('/api/v1/index/retrieve', '{"publicKey":{"format":"gpg","content":"AAAA"}}'), want: 422, code: 606 },
  { name: 'index: a tuf key that is not a root.json', ...post('/api/v1/index/retrieve', '{"publicKey":{"format":"tuf","content":"AAAA"}}'), want: 400, message: /^public key provided could not be parsed$/ },
  { name: 'index: unparsable pgp key', ...post('/api/v1/index/retrieve', '{"publicKey":{"format":"pgp","content":"AAAA"}}'), want: 400, message: /^public key provided could not be parsed$/ },
  { name: 'index: unparsable ssh key', ...post('/api/v1/index/retrieve', '{"publicKey":{"format":"ssh","content":"AAAA"}}'), want: 400, message: /^public key provided could not be parsed$/ },
  { name: 'index: unparsable key', ...post('/api/v1/index/retrieve', '{"publicKey":{"format":"x509","content":"AAAA"}}'), want: 400, message: /^public key provided could not be parsed$/ },
  { name: 'index: subject too long', ...post('/api/v1/index/retrieve', JSON.stringify({ subject: 'x'.repeat(513) })), want: 422, code: 603 },
  { name: 'index: malformed JSON', ...post('/api/v1/index/retrieve', '{'), want: 400, message: /^parsing query body/ },

  { name: 'unknown path', method: 'GET', url: '/api/v1/nope', want: 404, message: /^path \/api\/v1\/nope was not found$/ },
  { name: 'wrong method', method: 'PUT', url: ENTRIES, want: 405, message: /^method PUT is not allowed, but \[GET,POST\] are$/ },
  { name: 'wrong method on an entry', method: 'DELETE', url: `${ENTRIES}/${UUID}`, want: 405 },
];

describe('bad input gets a 4xx in Rekor shape and writes nothing', () => {
  let fx: AppFixture;
  before(async () => {
    fx = await appFixture({ maxRequestBodySize: LIMIT });
    const seed = await fx.app.inject({ method: 'POST', url: ENTRIES, headers: JSON_HEADERS, payload: JSON.stringify(hashedRekord()) });
    assert.equal(seed.statusCode, 201, seed.body);
  });
  after(async () => fx.close());

  for (const c of cases) {
    it(c.name, async () => {
      const before = await fx.log.head();
      const response = await fx.app.inject({
        method: c.method,
        url: c.url,
        ...(c.headers === undefined ? {} : { headers: c.headers }),
        ...(c.body === undefined ? {} : { payload: c.body }),
      });
      assert.equal(response.statusCode, c.want, `status for ${c.name}: ${response.body}`);
      if (c.code === null) {
        assert.equal(response.body, '');
      } else {
        assert.match(String(response.headers['content-type']), /^application\/json/);
        const body = JSON.parse(response.body) as { code: number; message: string };
        assert.deepEqual(Object.keys(body).sort(), ['code', 'message']);
        assert.equal(body.code, c.code ?? c.want);
        if (c.message !== undefined) assert.match(body.message, c.message);
      }
      const after = await fx.log.head();
      assert.equal(after.size, before.size, 'nothing written');
    });
  }
});
