// intoto v0.0.1: envelopes signed in-test with every key type and the upstream vectors are
// accepted with the body Rekor would store; tampered ones are refused with Rekor's messages;
// the production entry 16028007's body is rebuilt byte for byte from its stored parts.
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { isRekorError } from '../../../errors.js';
import { parseX509PublicKey } from '../../../pki/x509/index.js';
import { testKey, type TestKeyType } from '../../../pki/x509/testonly.js';
import { testdataPath } from '../../../../test/testdata.js';
import { inTotoDigestKeys } from '../../intoto-statement.js';
import { defaultTypeContext } from '../../types.js';
import { IN_TOTO, signEnvelope, statement, v001Spec } from '../testonly.js';
import { canonicalizeIntotoV001, intotoV001Body } from './entry.js';

const ctx = defaultTypeContext();
const hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const b64 = (text: string) => Buffer.from(text).toString('base64');
const artifact = (name: string) => readFileSync(testdataPath('artifacts', 'intoto-dsse', name), 'utf8');
const payload = statement('a'.repeat(64));
const x25519Pem = generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();

function expectedBody(envelopeText: string, pem: string, payloadBytes: Uint8Array): string {
  return JSON.stringify({
    apiVersion: '0.0.1',
    kind: 'intoto',
    spec: {
      content: { hash: { algorithm: 'sha256', value: hex(envelopeText) }, payloadHash: { algorithm: 'sha256', value: hex(payloadBytes) } },
      publicKey: b64(pem),
    },
  });
}

describe('intoto 0.0.1 accepts verified envelopes', () => {
  const types: TestKeyType[] = ['P-224', 'P-256', 'P-384', 'P-521', 'RSA-2048', 'RSA-4096', 'Ed25519'];
  for (const type of types) {
    test(`${type} key, SHA-256 DSSE signature`, () => {
      const key = testKey(type);
      const text = JSON.stringify(signEnvelope([key], IN_TOTO, payload));
      const entry = canonicalizeIntotoV001(v001Spec(text, key.pem), ctx);
      assert.equal(Buffer.from(entry.body).toString(), expectedBody(text, key.pem, payload));
      assert.deepEqual(entry.indexKeys, [
        `sha256:${hex(text)}`,
        `sha256:${hex(key.pem)}`,
        `sha256:${hex(payload)}`,
        `sha256:${'a'.repeat(64)}`,
        'sha1:abcdef0123',
      ]);
    });
  }

  const vectors = [
    { name: 'rekor tests/intoto_dsse.json', envelope: artifact('intoto_dsse.json'), pem: artifact('intoto_dsse.pem') },
    // Threshold 1: one of the two signatures verifying with the one key is enough.
    { name: 'rekor intoto_multi_dsse.json, ECDSA key', envelope: artifact('intoto_multi_dsse.json'), pem: artifact('intoto_dsse.pem') },
    { name: 'rekor intoto_multi_dsse.json, RSA key', envelope: artifact('intoto_multi_dsse.json'), pem: artifact('intoto_multi_pub2.pem') },
  ];
  for (const v of vectors) {
    test(v.name, () => {
      const entry = canonicalizeIntotoV001(v001Spec(v.envelope, v.pem), ctx);
      const body = JSON.parse(Buffer.from(entry.body).toString()) as { spec: { content: { hash: { value: string } } } };
      assert.equal(body.spec.content.hash.value, hex(v.envelope), 'the envelope is hashed exactly as sent');
      assert.ok(entry.indexKeys.includes('foo:bar'), 'the statement subject digest is indexed');
    });
  }

  test('rekor models/testdata/intoto.json (a 0.0.1 spec labelled 0.0.2): its client hash matches ours', () => {
    const proposed = JSON.parse(readFileSync(testdataPath('artifacts', 'proposed-entries', 'models-intoto.json'), 'utf8')) as {
      spec: { content: { hash: { value: string } } };
    };
    const entry = canonicalizeIntotoV001(proposed.spec, ctx);
    const body = JSON.parse(Buffer.from(entry.body).toString()) as { spec: { content: { hash: { value: string } } } };
    assert.equal(body.spec.content.hash.value, proposed.spec.content.hash.value);
  });

  test('client-sent digests are ignored', () => {
    const key = testKey('P-256');
    const text = JSON.stringify(signEnvelope([key], IN_TOTO, payload));
    const spec = v001Spec(text, key.pem);
    (spec['content'] as Record<string, unknown>)['hash'] = { algorithm: 'sha256', value: 'client' };
    assert.equal(Buffer.from(canonicalizeIntotoV001(spec, ctx).body).toString(), expectedBody(text, key.pem, payload));
  });
});

describe('intoto 0.0.1 refuses', () => {
  const key = testKey('P-256');
  const good = signEnvelope([key], IN_TOTO, payload);
  const sig = good.signatures[0]?.sig ?? '';
  const threshold = /Accepted signatures do not match threshold, Found: 0, Expected 1/;
  const cases: { name: string; spec: unknown; wantErr: RegExp }[] = [
    { name: 'altered payload', spec: v001Spec(JSON.stringify({ ...good, payload: b64('{"x":1}') }), key.pem), wantErr: threshold },
    { name: 'altered payload type', spec: v001Spec(JSON.stringify({ ...good, payloadType: 'text/plain' }), key.pem), wantErr: threshold },
    { name: 'wrong key', spec: v001Spec(JSON.stringify(good), testKey('P-256', 1).pem), wantErr: threshold },
    { name: 'truncated signature', spec: v001Spec(JSON.stringify({ ...good, signatures: [{ sig: sig.slice(0, 40) }] }), key.pem), wantErr: threshold },
    { name: 'signature not base64', spec: v001Spec(JSON.stringify({ ...good, signatures: [{ sig: '!!!!' }] }), key.pem), wantErr: /^illegal base64 data at input byte 0$/ },
    { name: 'no signatures', spec: v001Spec(JSON.stringify({ ...good, signatures: [] }), key.pem), wantErr: /^no signature found$/ },
    { name: 'too many signatures', spec: v001Spec(JSON.stringify({ ...good, signatures: Array(17).fill({ sig }) }), key.pem), wantErr: /too many signatures: 17/ },
    { name: 'envelope not JSON', spec: v001Spec('{"payload":', key.pem), wantErr: /dsse envelope/ },
    { name: 'payload of the wrong type', spec: v001Spec('{"payload":1}', key.pem), wantErr: /cannot unmarshal number into Go struct field Envelope.payload/ },
    { name: 'no envelope, no hash', spec: { content: {}, publicKey: b64(key.pem) }, wantErr: /^missing hash value for envelope$/ },
    {
      name: 'no envelope, both digests (a stored entry)',
      spec: { content: { hash: { algorithm: 'sha256', value: 'a' }, payloadHash: { algorithm: 'sha256', value: 'b' } }, publicKey: b64(key.pem) },
      wantErr: /^entry not insertable into log: missing envelope content$/,
    },
    { name: 'no content', spec: { publicKey: b64(key.pem) }, wantErr: /^validation failure list:\ncontent in body is required$/ },
    { name: 'no public key', spec: { content: { envelope: JSON.stringify(good) } }, wantErr: /\npublicKey in body is required$/ },
    {
      name: 'hash algorithm outside the enum',
      spec: { content: { envelope: JSON.stringify(good), hash: { algorithm: 'md5', value: 'x' } }, publicKey: b64(key.pem) },
      wantErr: /content\.content\.hash\.content\.hash\.algorithm in body should be one of \[sha256\]/,
    },
    { name: 'public key not base64', spec: { content: { envelope: JSON.stringify(good) }, publicKey: '%%%%' }, wantErr: /illegal base64 data at input byte 0/ },
    { name: 'public key not PEM', spec: v001Spec(JSON.stringify(good), 'nope'), wantErr: /invalid public key/ },
    { name: 'X25519 key (parses, cannot verify)', spec: v001Spec(JSON.stringify(good), x25519Pem), wantErr: /^unsupported public key type$/ },
    { name: 'spec not an object', spec: [], wantErr: /unsupported input type \[\]interface \{\} for DecodeEntry/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.throws(
        () => canonicalizeIntotoV001(c.spec, ctx),
        (err: unknown) => isRekorError(err) && err.code === 'invalid_entry' && c.wantErr.test(err.message),
      );
    });
  }
});

describe('intoto 0.0.1 production entry', () => {
  test('logIndex 16028007: body and leaf rebuilt from its stored key and digests', () => {
    const file = testdataPath('entries', 'rekor-v1-api', 'production', 'intoto-0.0.1-16028007.reconstructed.json');
    const [[entryId, entry]] = Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, { body: string; attestation: { data: string } }>) as [
      [string, { body: string; attestation: { data: string } }],
    ];
    const stored = Buffer.from(entry.body, 'base64');
    const spec = (JSON.parse(stored.toString()) as { spec: { content: { hash: { value: string }; payloadHash: { value: string } }; publicKey: string } }).spec;
    const attestation = Buffer.from(entry.attestation.data, 'base64');
    assert.equal(hex(attestation), spec.content.payloadHash.value, 'the attestation is the payload');
    const key = parseX509PublicKey(Buffer.from(spec.publicKey, 'base64'));
    const rebuilt = intotoV001Body(key, spec.content.hash.value, spec.content.payloadHash.value, inTotoDigestKeys(IN_TOTO, attestation));
    assert.equal(Buffer.from(rebuilt.body).toString(), stored.toString());
    assert.equal(Buffer.from(rebuilt.leafHash).toString('hex'), entryId.slice(-64));
    assert.deepEqual(rebuilt.indexKeys.slice(0, 3), [
      `sha256:${spec.content.hash.value}`,
      `sha256:${hex(Buffer.from(spec.publicKey, 'base64'))}`,
      `sha256:${spec.content.payloadHash.value}`,
    ]);
  });
});
