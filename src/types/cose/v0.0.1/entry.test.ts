import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { parseX509PublicKey } from '../../../pki/x509/index.js';
import { buildCertificate, certificatePem, sanEmail, testKey } from '../../../pki/x509/testonly.js';
import { repoRoot, testdataPath } from '../../../../test/testdata.js';
import { defaultTypeContext, type CanonicalEntry } from '../../types.js';
import { coseKind } from '../index.js';
import { canonicalizeCose } from './entry.js';
import { b64, encodeCbor, makeMessage, proposal } from './testonly.js';
import { invalidEntryWith } from '../../../fuzz-testonly.js';

const ctx = defaultTypeContext();
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const IN_TOTO = 'application/vnd.in-toto+json';
const payload = Buffer.from('hello cose');
const statement = Buffer.from(
  JSON.stringify({
    _type: 'https://in-toto.io/Statement/v0.1',
    predicateType: 'https://slsa.dev/provenance/v0.2',
    subject: [{ name: 'a', digest: { sha256: 'AB'.repeat(32) } }],
    predicate: { materials: [{ uri: 'git+x', digest: { sha1: 'cd'.repeat(20) } }] },
  }),
);

const schema = JSON.parse(readFileSync(join(repoRoot, 'src/types/cose/v0.0.1/cose_v0_0_1_schema.json'), 'utf8')) as object;
const validateSpecSchema = new Ajv({ strict: false, validateFormats: false }).compile(schema);

type BodySpec = { data: { envelopeHash: { algorithm: string; value: string }; payloadHash: { algorithm: string; value: string } }; publicKey: string };

function bodySpec(entry: CanonicalEntry): BodySpec {
  const text = Buffer.from(entry.body).toString();
  const body = JSON.parse(text) as { apiVersion: string; kind: string; spec: BodySpec };
  assert.deepEqual(Object.keys(body), ['apiVersion', 'kind', 'spec']);
  assert.equal(body.kind, 'cose');
  assert.equal(body.apiVersion, '0.0.1');
  assert.deepEqual(Object.keys(body.spec), ['data', 'publicKey']);
  assert.deepEqual(Object.keys(body.spec.data), ['envelopeHash', 'payloadHash']);
  assert.ok(validateSpecSchema(body.spec), JSON.stringify(validateSpecSchema.errors));
  return body.spec;
}

function expectError(spec: unknown, message: string | RegExp): void {
  assert.throws(() => canonicalizeCose(spec, ctx), invalidEntryWith(message));
}

/** Tag 18 (COSE_Sign1) around an encoded item. */
const tag18 = (item: Uint8Array): Buffer => Buffer.concat([Buffer.of(0xd2), item]);

describe('cose 0.0.1: the rekor fixture test_cose.cbor', () => {
  const message = readFileSync(testdataPath('artifacts', 'cose', 'test_cose.cbor'));
  const pem = readFileSync(testdataPath('artifacts', 'cose', 'test_cose.pub'), 'utf8');

  test('verifies with external aad "test aad" (dGVzdCBhYWQ=)', () => {
    const spec = { message: message.toString('base64'), publicKey: b64(pem), data: { aad: 'dGVzdCBhYWQ=' } };
    const entry = canonicalizeCose(spec, ctx);
    const body = bodySpec(entry);
    const canonical = parseX509PublicKey(Buffer.from(pem)).canonical;
    assert.equal(body.data.envelopeHash.value, sha256(message));
    assert.equal(body.data.payloadHash.value, sha256('hello world'));
    assert.equal(body.publicKey, b64(canonical));
    assert.deepEqual(entry.indexKeys, [sha256(canonical), `sha256:${sha256(message)}`, `sha256:${sha256('hello world')}`]);
    assert.equal(Buffer.from(entry.leafHash).toString('hex'), sha256(Buffer.concat([Buffer.of(0), entry.body])));
  });

  test('is refused without the aad, or with another', () => {
    expectError({ message: message.toString('base64'), publicKey: b64(pem), data: {} }, 'verification error');
    expectError({ message: message.toString('base64'), publicKey: b64(pem), data: { aad: b64('other') } }, 'verification error');
  });

  test('the kind registers one version, 0.0.1', async () => {
    assert.equal(coseKind.kind, 'cose');
    assert.equal(coseKind.defaultVersion, '0.0.1');
    const entry = await coseKind.versions[0]?.canonicalize({ message: message.toString('base64'), publicKey: b64(pem), data: { aad: 'dGVzdCBhYWQ=' } }, ctx);
    assert.equal(entry?.kind, 'cose');
  });
});

describe('cose 0.0.1: accepted messages', () => {
  const p256 = testKey('P-256');
  const rsa = testKey('RSA-2048');
  const aad = Buffer.from('context');
  const cases = [
    { name: 'ES256, tagged', key: p256, message: makeMessage(p256, payload) },
    { name: 'ES256 with aad', key: p256, message: makeMessage(p256, payload, { aad }), aad },
    { name: 'PS256', key: rsa, message: makeMessage(rsa, payload) },
    { name: 'PS256 with aad', key: rsa, message: makeMessage(rsa, payload, { aad }), aad },
    { name: 'empty payload', key: p256, message: makeMessage(p256, new Uint8Array()), payload: new Uint8Array() },
    { name: 'alg as a text-string header label too', key: p256, message: makeMessage(p256, payload, { headers: [[1, -7], ['x', 1]] }) },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const entry = canonicalizeCose(proposal(c.message, c.key.pem, c.aad), ctx);
      const body = bodySpec(entry);
      assert.equal(body.data.envelopeHash.value, sha256(c.message));
      assert.equal(body.data.payloadHash.value, sha256(c.payload ?? payload));
    });
  }

  test('index keys: key hash, certificate subjects, message, payload, in-toto subjects (not materials)', () => {
    const now = Date.now();
    const der = buildCertificate({ subject: 's', issuer: 's', subjectKey: p256, issuerKey: p256, notBefore: new Date(now - 1e6), notAfter: new Date(now + 1e9), sans: [sanEmail('Dev@Example.com')] });
    const pem = certificatePem(der);
    const message = makeMessage(p256, statement, { headers: [[1, -7], [3, IN_TOTO]] });
    const entry = canonicalizeCose(proposal(message, pem), ctx);
    const canonical = parseX509PublicKey(Buffer.from(pem)).canonical;
    assert.deepEqual(entry.indexKeys, [sha256(canonical), 'dev@example.com', `sha256:${sha256(message)}`, `sha256:${sha256(statement)}`, `sha256:${'ab'.repeat(32)}`]);
  });

  test('content type as a CoAP integer, or another string, indexes no in-toto digests', () => {
    for (const type of [42, 'application/json']) {
      const entry = canonicalizeCose(proposal(makeMessage(p256, statement, { headers: [[1, -7], [3, type]] }), p256.pem), ctx);
      assert.equal(entry.indexKeys.length, 3, String(type));
    }
  });
});

describe('cose 0.0.1: rejected proposals', () => {
  const p256 = testKey('P-256');
  const other = testKey('P-256', 1);
  const p384 = testKey('P-384');
  const ed = testKey('Ed25519');
  const rsa = testKey('RSA-2048');
  const good = makeMessage(p256, payload);
  const altered = Buffer.from(good);
  const at = altered.indexOf('hello cose');
  altered.writeUInt8(altered.readUInt8(at) ^ 1, at);
  const cases: Array<{ name: string; spec: unknown; wantErr: string | RegExp }> = [
    { name: 'altered payload', spec: proposal(altered, p256.pem), wantErr: 'verification error' },
    { name: 'untagged message', spec: proposal(makeMessage(p256, payload, { tagged: false }), p256.pem), wantErr: 'cbor: invalid COSE_Sign1_Tagged object' },
    { name: 'wrong key', spec: proposal(good, other.pem), wantErr: 'verification error' },
    { name: 'P-384 key', spec: proposal(good, p384.pem), wantErr: 'unsupported elliptic curve P-384' },
    { name: 'Ed25519 key', spec: proposal(good, ed.pem), wantErr: 'unsupported algorithm type ed25519.PublicKey' },
    { name: 'alg PS256 with an EC key', spec: proposal(makeMessage(p256, payload, { headers: [[1, -37]] }), p256.pem), wantErr: 'algorithm mismatch' },
    { name: 'ES256 message with an RSA key', spec: proposal(good, rsa.pem), wantErr: 'algorithm mismatch' },
    { name: 'alg as text', spec: proposal(makeMessage(p256, payload, { headers: [[1, 'ES256']] }), p256.pem), wantErr: 'algorithm mismatch' },
    { name: 'no alg header', spec: proposal(makeMessage(p256, payload, { headers: [] }), p256.pem), wantErr: 'algorithm not found' },
    { name: 'detached payload', spec: proposal(makeMessage(p256, payload, { detached: true }), p256.pem), wantErr: 'missing payload' },
    { name: 'truncated signature', spec: proposal(makeMessage(p256, payload, { editSignature: (s) => s.subarray(0, 63) }), p256.pem), wantErr: 'verification error' },
    { name: 'DER instead of r||s', spec: proposal(makeMessage(p256, payload, { editSignature: (s) => Buffer.concat([s, Buffer.of(0)]) }), p256.pem), wantErr: 'verification error' },
    { name: 'empty signature', spec: proposal(makeMessage(p256, payload, { editSignature: () => new Uint8Array() }), p256.pem), wantErr: 'empty signature' },
    { name: 'truncated message', spec: proposal(good.subarray(0, good.length - 1), p256.pem), wantErr: /^invalid COSE_Sign1 message: message: / },
    { name: 'trailing byte', spec: proposal(Buffer.concat([good, Buffer.of(0)]), p256.pem), wantErr: 'invalid COSE_Sign1 message: message: extraneous data' },
    { name: 'other tag', spec: proposal(Buffer.concat([Buffer.of(0xd1), good.subarray(1)]), p256.pem), wantErr: 'cbor: invalid COSE_Sign1_Tagged object' },
    { name: 'array of 3', spec: proposal(tag18(encodeCbor([Buffer.alloc(0), new Map(), Buffer.alloc(1)])), p256.pem), wantErr: 'invalid COSE_Sign1 message: expected an array of 4 items' },
    { name: 'indefinite array', spec: proposal(Buffer.from('d29f40a041004100ff', 'hex'), p256.pem), wantErr: 'invalid COSE_Sign1 message: message: indefinite length not allowed' },
    { name: 'huge declared length', spec: proposal(Buffer.from('d2845bffffffffffffffff', 'hex'), p256.pem), wantErr: 'invalid COSE_Sign1 message: message: declared length exceeds data' },
    { name: 'deep nesting', spec: proposal(Buffer.concat([Buffer.from('d284', 'hex'), Buffer.alloc(100, 0x81), Buffer.of(0)]), p256.pem), wantErr: 'invalid COSE_Sign1 message: message: nesting too deep' },
    { name: 'protected header not a map', spec: proposal(tag18(encodeCbor([Buffer.from('01', 'hex'), new Map(), Buffer.alloc(1), Buffer.alloc(64)])), p256.pem), wantErr: 'invalid COSE_Sign1 message: protected header must be a map' },
    { name: 'label in both headers', spec: proposal(tag18(encodeCbor([Buffer.from('a10126', 'hex'), new Map([[1, -7]]), Buffer.alloc(1), Buffer.alloc(64)])), p256.pem), wantErr: 'invalid COSE_Sign1 message: a header label is both protected and unprotected' },
    { name: 'duplicate protected label', spec: proposal(tag18(encodeCbor([Buffer.from('a201260126', 'hex'), new Map(), Buffer.alloc(1), Buffer.alloc(64)])), p256.pem), wantErr: 'invalid COSE_Sign1 message: protected header: duplicate map key' },
    { name: 'too large', spec: { message: 'A'.repeat(1_500_000), publicKey: b64(p256.pem), data: {} }, wantErr: 'COSE message too large, at most 1048576 bytes' },
    { name: 'no message', spec: { publicKey: b64(p256.pem), data: {} }, wantErr: 'entry not insertable into log: missing COSE Sign1 message' },
    { name: 'empty message', spec: { message: '', publicKey: b64(p256.pem), data: {} }, wantErr: 'entry not insertable into log: missing COSE Sign1 message' },
    { name: 'no data', spec: { message: b64(good), publicKey: b64(p256.pem) }, wantErr: 'entry not insertable into log: missing COSE data property' },
    { name: 'no public key', spec: { message: b64(good), data: {} }, wantErr: 'validation failure list:\npublicKey in body is required' },
    { name: 'public key not PEM', spec: { message: b64(good), publicKey: b64('nope'), data: {} }, wantErr: 'invalid public key: failure decoding PEM' },
    { name: 'message not base64', spec: { message: '***', publicKey: b64(p256.pem), data: {} }, wantErr: /^failed parsing base64 data for message/ },
    {
      name: 'bad hash algorithm',
      spec: { message: b64(good), publicKey: b64(p256.pem), data: { payloadHash: { algorithm: 'md5', value: 'x' }, envelopeHash: {} } },
      wantErr: 'validation failure list:\ndata.envelopeHash.data.envelopeHash.algorithm in body is required\ndata.envelopeHash.data.envelopeHash.value in body is required\ndata.payloadHash.data.payloadHash.algorithm in body should be one of [sha256]',
    },
    { name: 'stored envelope hash not hex', spec: { publicKey: b64(p256.pem), data: { envelopeHash: { algorithm: 'sha256', value: 'zz' } } }, wantErr: "encoding/hex: invalid byte: U+007A 'z'" },
    { name: 'spec not an object', spec: [1], wantErr: 'unsupported input type []interface {} for DecodeEntry' },
  ];
  for (const c of cases) test(c.name, () => expectError(c.spec, c.wantErr));
});
