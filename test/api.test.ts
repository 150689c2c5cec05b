/** The Rekor v1 API through inject(): shapes, headers and semantics of every endpoint. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { verifyLogEntry } from '../src/client/verify/index.js';
import { verifyConsistency } from '../src/merkle/index.js';
import { appFixture, JSON_HEADERS, type AppFixture } from './app-fixture.js';
import { dsseEntry, hashedRekord, intotoEntry, signArtifact, signedStatement } from './entries.js';

type LogEntryValue = {
  body: string;
  integratedTime: number;
  logID: string;
  logIndex: number;
  verification: { inclusionProof: { checkpoint: string; hashes: string[]; logIndex: number; rootHash: string; treeSize: number }; signedEntryTimestamp: string };
};

describe('Rekor v1 API', () => {
  let fx: AppFixture;
  let publicKeyPem: string;
  const signed = Array.from({ length: 5 }, () => signArtifact());
  const created: Array<{ id: string; value: LogEntryValue }> = [];
  const trust = () => [{ publicKey: publicKeyPem, name: 'rekor.test' }];
  const post = (url: string, body: unknown) => fx.app.inject({ method: 'POST', url, headers: JSON_HEADERS, payload: JSON.stringify(body) });

  before(async () => {
    fx = await appFixture();
    publicKeyPem = (await fx.app.inject({ method: 'GET', url: '/api/v1/log/publicKey' })).body;
  });
  after(async () => fx.close());

  it('creates entries: 201, Location, ETag, one-member LogEntry that verifies', async () => {
    for (const s of signed) {
      const response = await post('/api/v1/log/entries', hashedRekord(s));
      assert.equal(response.statusCode, 201, response.body);
      assert.ok(response.body.endsWith('\n'));
      const json = JSON.parse(response.body) as Record<string, LogEntryValue>;
      const [id, value] = Object.entries(json)[0] as [string, LogEntryValue];
      assert.equal(Object.keys(json).length, 1);
      assert.match(id, /^[0-9a-f]{80}$/);
      assert.equal(response.headers['location'], `/api/v1/log/entries/${id}`);
      assert.equal(response.headers['etag'], id);
      assert.equal(id.slice(0, 16), fx.log.activeShard.treeId.toString(16).padStart(16, '0'));
      assert.equal(value.logIndex, created.length);
      assert.equal(value.verification.inclusionProof.treeSize, created.length + 1);
      assert.equal(value.logID, createHash('sha256').update(Buffer.from(publicKeyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64')).digest('hex'));
      verifyLogEntry(json, trust(), { require: { inclusionProof: true, checkpoint: true, signedEntryTimestamp: true } });
      created.push({ id, value });
    }
  });

  it('answers a resubmission with 409, the existing entry in Location, and Rekor message', async () => {
    const response = await post('/api/v1/log/entries', hashedRekord(signed[1]));
    assert.equal(response.statusCode, 409);
    const id = created[1]?.id as string;
    assert.equal(response.headers['location'], `/api/v1/log/entries/${id}`);
    assert.deepEqual(JSON.parse(response.body), {
      code: 409,
      message: `an equivalent entry already exists in the transparency log with UUID ${id}`,
    });
  });

  it('gets entries by log index, UUID and EntryID with fresh proofs', async () => {
    const byIndex = await fx.app.inject({ method: 'GET', url: '/api/v1/log/entries?logIndex=2' });
    assert.equal(byIndex.statusCode, 200);
    assert.equal(byIndex.headers['cache-control'], 'no-cache, no-store, no-transform, must-revalidate, private, max-age=0');
    const entry = JSON.parse(byIndex.body) as Record<string, LogEntryValue>;
    assert.deepEqual(Object.keys(entry), [created[2]?.id]);
    const value = entry[created[2]?.id as string] as LogEntryValue;
    assert.equal(value.verification.inclusionProof.treeSize, 5, 'proof against the current head');
    assert.equal(value.body, created[2]?.value.body);
    verifyLogEntry(entry, trust(), { require: { inclusionProof: true, checkpoint: true, signedEntryTimestamp: true } });

    for (const key of [created[3]?.id as string, (created[3]?.id as string).slice(16), (created[3]?.id as string).toUpperCase()]) {
      const response = await fx.app.inject({ method: 'GET', url: `/api/v1/log/entries/${key}` });
      assert.equal(response.statusCode, 200, key);
      assert.deepEqual(Object.keys(JSON.parse(response.body) as object), [created[3]?.id]);
    }
  });

  it('retrieves by EntryID, UUID, proposed entry and index, in Rekor order', async () => {
    const [a, b, c, d] = created;
    const response = await post('/api/v1/log/entries/retrieve', {
      logIndexes: [0, 99],
      entries: [hashedRekord(signed[3])],
      entryUUIDs: [(b?.id as string).slice(16), a?.id, 'ff'.repeat(32)],
    });
    assert.equal(response.statusCode, 200, response.body);
    const ids = (JSON.parse(response.body) as Array<Record<string, LogEntryValue>>).map((e) => Object.keys(e)[0]);
    assert.deepEqual(ids, [a?.id, b?.id, d?.id, a?.id]);
    assert.ok(c);
    const none = await post('/api/v1/log/entries/retrieve', { logIndexes: [1000] });
    assert.equal(none.body, '[]\n');
  });

  it('reports log info and consistency proofs between any two sizes', async () => {
    const info = JSON.parse((await fx.app.inject({ method: 'GET', url: '/api/v1/log' })).body) as {
      inactiveShards: null;
      rootHash: string;
      signedTreeHead: string;
      treeID: string;
      treeSize: number;
    };
    assert.equal(info.inactiveShards, null);
    assert.equal(info.treeID, String(fx.log.activeShard.treeId));
    assert.equal(info.treeSize, 5);
    assert.match(info.signedTreeHead, new RegExp(`^rekor\\.test - ${info.treeID}\\n5\\n`));
    const roots = created.map((e) => e.value.verification.inclusionProof.rootHash);
    for (let first = 1; first <= 5; first++) {
      const response = await fx.app.inject({ method: 'GET', url: `/api/v1/log/proof?firstSize=${first}&lastSize=5` });
      assert.equal(response.statusCode, 200);
      const proof = JSON.parse(response.body) as { hashes: string[]; rootHash: string };
      assert.equal(proof.rootHash, info.rootHash);
      verifyConsistency(BigInt(first), 5n, proof.hashes.map((h) => Buffer.from(h, 'hex')), Buffer.from(roots[first - 1] as string, 'hex'), Buffer.from(info.rootHash, 'hex'));
    }
  });

  it('serves the public key as PEM', async () => {
    const response = await fx.app.inject({ method: 'GET', url: '/api/v1/log/publicKey', headers: { accept: 'application/x-pem-file' } });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/x-pem-file');
    assert.match(response.body, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    const byTree = await fx.app.inject({ method: 'GET', url: `/api/v1/log/publicKey?treeID=${fx.log.activeShard.treeId}` });
    assert.equal(byTree.body, response.body);
  });

  it('searches the index by hash, public key, and with and/or', async () => {
    const search = async (query: unknown) => JSON.parse((await post('/api/v1/index/retrieve', query)).body) as string[];
    const s0 = signed[0] as ReturnType<typeof signArtifact>;
    assert.deepEqual(await search({ hash: `sha256:${s0.digestHex}` }), [created[0]?.id]);
    assert.deepEqual(await search({ hash: s0.digestHex.toUpperCase() }), [created[0]?.id], 'unprefixed, any case');
    const key = { format: 'x509', content: Buffer.from(s0.publicKeyPem).toString('base64') };
    assert.deepEqual(await search({ publicKey: key }), [created[0]?.id]);
    const s1 = signed[1] as ReturnType<typeof signArtifact>;
    assert.deepEqual(await search({ publicKey: key, hash: s1.digestHex, operator: 'and' }), []);
    assert.deepEqual((await search({ publicKey: key, hash: s1.digestHex, operator: 'or' })).sort(), [created[0]?.id, created[1]?.id].sort());
    assert.deepEqual(await search({ hash: 'a'.repeat(64) }), []);
    assert.deepEqual(await search({}), []);
  });

  it('logs dsse and intoto entries and finds them by their in-toto subject digest', async () => {
    for (const make of [dsseEntry, intotoEntry]) {
      const signed = signedStatement();
      const response = await post('/api/v1/log/entries', make(signed));
      assert.equal(response.statusCode, 201, response.body);
      const id = Object.keys(JSON.parse(response.body) as object)[0];
      verifyLogEntry(JSON.parse(response.body), trust(), { require: { inclusionProof: true, checkpoint: true, signedEntryTimestamp: true } });
      const statement = JSON.parse(signed.payload.toString()) as { subject: Array<{ digest: { sha256: string } }> };
      const digest = statement.subject[0]?.digest.sha256 as string;
      const found = JSON.parse((await post('/api/v1/index/retrieve', { hash: `sha256:${digest}` })).body) as string[];
      assert.deepEqual(found, [id]);
    }
  });

  it('logs a rekord entry and finds it by artifact hash and by public key', async () => {
    const s = signArtifact();
    const entry = {
      apiVersion: '0.0.1',
      kind: 'rekord',
      spec: {
        signature: { format: 'x509', content: s.signature.toString('base64'), publicKey: { content: Buffer.from(s.publicKeyPem).toString('base64') } },
        data: { content: s.artifact.toString('base64') },
      },
    };
    const response = await post('/api/v1/log/entries', entry);
    assert.equal(response.statusCode, 201, response.body);
    const id = Object.keys(JSON.parse(response.body) as object)[0];
    const byHash = JSON.parse((await post('/api/v1/index/retrieve', { hash: `sha256:${s.digestHex}` })).body) as string[];
    assert.deepEqual(byHash, [id]);
    const key = { format: 'x509', content: Buffer.from(s.publicKeyPem).toString('base64') };
    const byKey = JSON.parse((await post('/api/v1/index/retrieve', { publicKey: key })).body) as string[];
    assert.deepEqual(byKey, [id]);
    const tampered = { ...entry, spec: { ...entry.spec, data: { content: Buffer.from('other').toString('base64') } } };
    assert.equal((await post('/api/v1/log/entries', tampered)).statusCode, 400);
  });

  it('answers /ping and the home page', async () => {
    const ping = await fx.app.inject({ method: 'GET', url: '/ping' });
    assert.equal(ping.body, '.');
    const home = await fx.app.inject({ method: 'GET', url: '/' });
    assert.match(String(home.headers['content-type']), /text\/html/);
  });
});
