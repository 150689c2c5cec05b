// intoto v0.0.2: envelopes signed in-test (one and several keys) and the upstream vectors are
// accepted with the body Rekor would store; tampered ones are refused with Rekor's messages;
// the production entries in sigstore-js's bundles are rebuilt byte for byte from the bundle's
// envelope plus the key and client hash stored in their bodies.
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { isRekorError } from '../../../errors.js';
import { buildCertificate, certificatePem, sanEmail, testKey, type TestKeyType } from '../../../pki/x509/testonly.js';
import { testdataPath } from '../../../../test/testdata.js';
import { defaultTypeContext } from '../../types.js';
import { IN_TOTO, signEnvelope, statement, v002Spec, type JsonEnvelope } from '../testonly.js';
import { canonicalizeIntotoV002 } from './entry.js';

const ctx = defaultTypeContext();
const hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const b64 = (text: string) => Buffer.from(text).toString('base64');
const artifact = (name: string) => readFileSync(testdataPath('artifacts', 'intoto-dsse', name), 'utf8');
const payload = statement('b'.repeat(64));
const HASH = 'c'.repeat(64);

function expectedBody(envelope: JsonEnvelope, pems: readonly string[]): string {
  const signatures = envelope.signatures.map((s, i) => ({ ...(s.keyid ? { keyid: s.keyid } : {}), publicKey: b64(pems[i] ?? ''), sig: b64(s.sig) }));
  return JSON.stringify({
    apiVersion: '0.0.2',
    kind: 'intoto',
    spec: {
      content: {
        envelope: { payloadType: envelope.payloadType, signatures },
        hash: { algorithm: 'sha256', value: HASH },
        payloadHash: { algorithm: 'sha256', value: hex(Buffer.from(envelope.payload, 'base64')) },
      },
    },
  });
}

const bodyText = (spec: unknown) => Buffer.from(canonicalizeIntotoV002(spec, ctx).body).toString();

describe('intoto 0.0.2 accepts verified envelopes', () => {
  const types: TestKeyType[] = ['P-256', 'P-384', 'P-521', 'RSA-2048', 'Ed25519'];
  for (const type of types) {
    test(`${type} key`, () => {
      const key = testKey(type);
      const envelope = signEnvelope([key], IN_TOTO, payload);
      assert.equal(bodyText(v002Spec(envelope, [key.pem], HASH)), expectedBody(envelope, [key.pem]));
    });
  }

  test('two signatures with keyids, each key verifying its own', () => {
    const keys = [testKey('P-256'), testKey('Ed25519')];
    const envelope = signEnvelope(keys, IN_TOTO, payload, 'hint');
    const entry = canonicalizeIntotoV002(v002Spec(envelope, keys.map((k) => k.pem), HASH), ctx);
    assert.equal(Buffer.from(entry.body).toString(), expectedBody(envelope, keys.map((k) => k.pem)));
    assert.deepEqual(entry.indexKeys, [
      `sha256:${hex(keys[0]?.pem ?? '')}`,
      `sha256:${hex(keys[1]?.pem ?? '')}`,
      `sha256:${hex(payload)}`,
      `sha256:${'b'.repeat(64)}`,
      'sha1:abcdef0123',
    ]);
  });

  test('the key is stored as sent, indexed by its canonical form; certificate subjects indexed', () => {
    const leaf = testKey('P-256', 3);
    const now = new Date(Date.UTC(2024, 0, 1));
    const der = buildCertificate({ subject: 'L', issuer: 'L', subjectKey: leaf, issuerKey: leaf, notBefore: now, notAfter: new Date(Date.UTC(2025, 0, 1)), sans: [sanEmail('Dev@Example.com')] });
    const canonical = certificatePem(der);
    const sent = `\n${canonical.replace(/\n/g, '\r\n')}\n`;
    const envelope = signEnvelope([leaf], 'text/plain', Buffer.from('hello'));
    const entry = canonicalizeIntotoV002(v002Spec(envelope, [sent], HASH), ctx);
    assert.equal(Buffer.from(entry.body).toString(), expectedBody(envelope, [sent]));
    assert.deepEqual(entry.indexKeys, [`sha256:${hex(canonical)}`, 'dev@example.com', `sha256:${hex('hello')}`]);
  });

  test('rekor intoto_multi_dsse.json with its ECDSA and RSA keys', () => {
    const envelope = JSON.parse(artifact('intoto_multi_dsse.json')) as JsonEnvelope;
    const pems = [artifact('intoto_dsse.pem'), artifact('intoto_multi_pub2.pem')];
    const entry = canonicalizeIntotoV002(v002Spec(envelope, pems, HASH), ctx);
    assert.equal(Buffer.from(entry.body).toString(), expectedBody(envelope, pems));
    assert.ok(entry.indexKeys.includes('foo:bar'));
  });

  test('rekor tests/intoto_dsse.json', () => {
    const envelope = JSON.parse(artifact('intoto_dsse.json')) as JsonEnvelope;
    assert.equal(bodyText(v002Spec(envelope, [artifact('intoto_dsse.pem')], HASH)), expectedBody(envelope, [artifact('intoto_dsse.pem')]));
  });
});

describe('intoto 0.0.2 refuses', () => {
  const [a, b] = [testKey('P-256'), testKey('RSA-2048')];
  const good = signEnvelope([a], IN_TOTO, payload);
  const sigA = good.signatures[0]?.sig ?? '';
  const sigB = signEnvelope([b], IN_TOTO, payload).signatures[0]?.sig ?? '';
  const spec = (envelope: JsonEnvelope, pems: string[] = [a.pem]) => v002Spec(envelope, pems, HASH);
  type Fields = Record<string, unknown>;
  type Editable = { content: Fields & { envelope: Fields & { signatures: Fields[] }; hash: Fields } };
  const edit = (f: (s: Editable) => void) => {
    const s = spec(good) as Editable;
    f(s);
    return s;
  };
  const threshold = /^could not verify envelope: Accepted signatures do not match threshold, Found: 0, Expected 1$/;
  const cases: { name: string; spec: unknown; wantErr: RegExp }[] = [
    { name: 'altered payload', spec: spec({ ...good, payload: b64('{"x":1}') }), wantErr: threshold },
    { name: 'wrong key', spec: spec(good, [b.pem]), wantErr: threshold },
    { name: 'truncated signature', spec: spec({ ...good, signatures: [{ sig: sigA.slice(0, 40) }] }), wantErr: threshold },
    { name: 'a key that verifies no signature', spec: spec({ ...good, signatures: [{ sig: sigA }, { sig: sigA }] }, [a.pem, b.pem]), wantErr: threshold },
    { name: 'a signature no key verifies', spec: spec({ ...good, signatures: [{ sig: sigA }, { sig: sigB }] }, [a.pem, a.pem]), wantErr: /^all signatures must have a key that verifies it$/ },
    { name: 'signature sent single-base64', spec: edit((s) => ((s.content.envelope.signatures[0] as Fields)['sig'] = sigA)), wantErr: /^could not verify envelope: / },
    { name: 'payload sent single-base64', spec: edit((s) => (s.content.envelope['payload'] = good.payload)), wantErr: /^could not verify envelope: / },
    { name: 'no payload', spec: edit((s) => delete s.content.envelope['payload']), wantErr: /^entry not insertable into log: missing envelope content$/ },
    { name: 'empty payload type', spec: spec(signEnvelope([a], '', payload)), wantErr: /^entry not insertable into log: missing payloadType content$/ },
    { name: 'no client hash', spec: edit((s) => delete (s.content as Fields)['hash']), wantErr: /^missing envelope digest$/ },
    { name: 'public key garbage', spec: spec(good, ['nope']), wantErr: /^could not parse public key as x509: invalid public key/ },
    { name: 'sig not base64', spec: edit((s) => ((s.content.envelope.signatures[0] as Fields)['sig'] = '%%%%')), wantErr: /illegal base64 data at input byte 0/ },
    { name: 'too many signatures', spec: spec({ ...good, signatures: Array(17).fill({ sig: sigA }) }, Array(17).fill(a.pem)), wantErr: /too many signatures: 17/ },
    { name: 'no content', spec: {}, wantErr: /^validation failure list:\ncontent in body is required$/ },
    { name: 'envelope as a string (0.0.1 shape)', spec: edit((s) => ((s.content as Fields)['envelope'] = JSON.stringify(good))), wantErr: /\ncontent\.content\.envelope in body is required$/ },
    { name: 'no payload type', spec: edit((s) => delete s.content.envelope['payloadType']), wantErr: /content\.content\.envelope\.content\.envelope\.payloadType in body is required$/ },
    { name: 'no signatures', spec: edit((s) => (s.content.envelope.signatures = [])), wantErr: /signatures in body should have at least 1 items$/ },
    { name: 'signature without key', spec: edit((s) => delete (s.content.envelope.signatures[0] as Fields)['publicKey']), wantErr: /signatures\.0\.publicKey in body is required$/ },
    { name: 'hash algorithm outside the enum', spec: edit((s) => (s.content.hash['algorithm'] = 'sha512')), wantErr: /content\.content\.hash\.content\.hash\.algorithm in body should be one of \[sha256\]$/ },
    { name: 'hash without value', spec: edit((s) => delete s.content.hash['value']), wantErr: /content\.content\.hash\.content\.hash\.value in body is required$/ },
    {
      name: 'X25519 key (parses, cannot verify)',
      spec: spec(good, [generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'pem' }).toString()]),
      wantErr: /^could not load verifier: unsupported public key type$/,
    },
    { name: 'spec not an object', spec: 'x', wantErr: /^unsupported input type string for DecodeEntry$/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.throws(
        () => canonicalizeIntotoV002(c.spec, ctx),
        (err: unknown) => isRekorError(err) && err.code === 'invalid_entry' && c.wantErr.test(err.message),
      );
    });
  }
});

interface Bundle {
  dsseEnvelope: JsonEnvelope;
  verificationMaterial: { tlogEntries: { canonicalizedBody: string; kindVersion: { kind: string; version: string } }[] };
}
interface StoredSpec {
  content: { envelope: { signatures: { publicKey: string }[] }; hash: { algorithm: string; value: string } };
}

describe('intoto 0.0.2 production entries (sigstore-js bundles)', () => {
  for (const name of ['sigstore-js-bundleV03-intoto.sigstore', 'sigstore-js-bundleV01-intoto-no-proof.sigstore']) {
    test(name, () => {
      const bundle = JSON.parse(readFileSync(testdataPath('entries', 'bundles', 'production-v1', name), 'utf8')) as Bundle;
      const tlog = bundle.verificationMaterial.tlogEntries[0];
      assert.deepEqual(tlog?.kindVersion, { kind: 'intoto', version: '0.0.2' });
      const stored = Buffer.from(tlog?.canonicalizedBody ?? '', 'base64').toString();
      const storedSpec = (JSON.parse(stored) as { spec: StoredSpec }).spec;
      // The proposed entry as sigstore-js sent it: the bundle's envelope, double base64, plus the stored key and client hash.
      const envelope = bundle.dsseEnvelope;
      const proposed = {
        content: {
          envelope: {
            payloadType: envelope.payloadType,
            payload: b64(envelope.payload),
            signatures: envelope.signatures.map((s, i) => ({ ...(s.keyid ? { keyid: s.keyid } : {}), sig: b64(s.sig), publicKey: storedSpec.content.envelope.signatures[i]?.publicKey })),
          },
          hash: storedSpec.content.hash,
        },
      };
      const entry = canonicalizeIntotoV002(proposed, ctx);
      assert.equal(Buffer.from(entry.body).toString(), stored);
      // The stored PEM lacks the final newline; the index key hashes the canonical PEM, which has it.
      const sentPem = Buffer.from(storedSpec.content.envelope.signatures[0]?.publicKey ?? '', 'base64').toString();
      assert.ok(!sentPem.endsWith('\n'));
      assert.equal(entry.indexKeys[0], `sha256:${hex(`${sentPem}\n`)}`);
      assert.ok(entry.indexKeys.includes('brian@dehamer.com'), 'the Fulcio certificate SAN is indexed');
    });
  }
});
