import assert from 'node:assert/strict';
import { createHash, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { testKey, type TestKey, type TestKeyType } from '../../../pki/x509/testonly.js';
import { parseX509PublicKey } from '../../../pki/x509/index.js';
import { repoRoot, testdataPath } from '../../../../test/testdata.js';
import { defaultTypeContext, type CanonicalEntry } from '../../types.js';
import { canonicalizeDsse } from './entry.js';
import { pae } from '../../dsse-signing.js';
import { invalidEntryWith } from '../../../fuzz-testonly.js';

const ctx = defaultTypeContext();
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const b64 = (b: Uint8Array | string) => Buffer.from(b).toString('base64');
const IN_TOTO = 'application/vnd.in-toto+json';
const statement = Buffer.from(
  JSON.stringify({
    _type: 'https://in-toto.io/Statement/v0.1',
    predicateType: 'https://slsa.dev/provenance/v0.2',
    subject: [{ name: 'a', digest: { sha256: 'AB'.repeat(32) } }],
    predicate: { materials: [{ uri: 'git+x', digest: { sha1: 'cd'.repeat(20) } }] },
  }),
);

function signPae(key: TestKey, payloadType: string, payload: Uint8Array): string {
  const algorithm = key.type === 'Ed25519' ? null : 'sha256';
  return b64(sign(algorithm, pae(payloadType, payload), key.privateKey));
}

function envelopeText(payload: Uint8Array, sigs: string[], payloadType = IN_TOTO): string {
  return JSON.stringify({ payload: b64(payload), payloadType, signatures: sigs.map((sig) => ({ sig, keyid: '' })) });
}

function proposal(envelope: string, pems: string[]) {
  return { proposedContent: { envelope, verifiers: pems.map((p) => b64(p)) } };
}

function keyed(type: TestKeyType, slot = 0) {
  const key = testKey(type, slot);
  return { key, sig: signPae(key, IN_TOTO, statement) };
}

function expectError(spec: unknown, message: string | RegExp): void {
  assert.throws(() => canonicalizeDsse(spec, ctx), invalidEntryWith(message));
}

const schema = JSON.parse(readFileSync(join(repoRoot, 'src/types/dsse/v0.0.1/dsse_v0_0_1_schema.json'), 'utf8')) as object;
const validateSpecSchema = new Ajv({ strict: false, validateFormats: false }).compile(schema);

function bodySpec(entry: CanonicalEntry): { envelopeHash: { value: string }; payloadHash: { value: string }; signatures: Array<{ signature: string; verifier: string }> } {
  const body = JSON.parse(Buffer.from(entry.body).toString()) as { apiVersion: string; kind: string; spec: never };
  assert.deepEqual(Object.keys(body), ['apiVersion', 'kind', 'spec']);
  assert.equal(body.kind, 'dsse');
  assert.equal(body.apiVersion, '0.0.1');
  assert.ok(validateSpecSchema(body.spec), JSON.stringify(validateSpecSchema.errors));
  return body.spec;
}

describe('dsse 0.0.1: accepted envelopes', () => {
  const p256 = keyed('P-256');
  const rsa = keyed('RSA-2048');
  const ed = keyed('Ed25519');
  const p384 = keyed('P-384');
  const cases = [
    { name: 'P-256', signers: [p256] },
    { name: 'RSA-2048', signers: [rsa] },
    { name: 'Ed25519', signers: [ed] },
    { name: 'P-384 signed with SHA-256', signers: [p384] },
    { name: 'three signatures, verifiers in another order', signers: [p256, rsa, ed], verifiers: [ed, p256, rsa] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const envelope = envelopeText(statement, c.signers.map((s) => s.sig));
      const entry = canonicalizeDsse(proposal(envelope, (c.verifiers ?? c.signers).map((s) => s.key.pem)), ctx);
      const spec = bodySpec(entry);
      assert.equal(spec.envelopeHash.value, sha256(envelope));
      assert.equal(spec.payloadHash.value, sha256(statement));
      const want = [...c.signers].sort((a, b) => (a.sig < b.sig ? -1 : 1)).map((s) => ({ signature: s.sig, verifier: b64(s.key.pem) }));
      assert.deepEqual(spec.signatures, want);
      assert.equal(Buffer.from(entry.leafHash).toString('hex'), sha256(Buffer.concat([Buffer.of(0), entry.body])));
    });
  }

  test('index keys: key hashes with sha256: prefix, payload, envelope, in-toto digests', () => {
    const envelope = envelopeText(statement, [p256.sig]);
    const entry = canonicalizeDsse(proposal(envelope, [p256.key.pem]), ctx);
    const keyHash = sha256(parseX509PublicKey(Buffer.from(p256.key.pem)).canonical);
    assert.deepEqual(entry.indexKeys, [`sha256:${keyHash}`, `sha256:${sha256(statement)}`, `sha256:${sha256(envelope)}`, `sha256:${'ab'.repeat(32)}`, `sha1:${'cd'.repeat(20)}`]);
  });

  test('other payload types index no in-toto digests', () => {
    const sig = signPae(p256.key, 'text/plain', statement);
    const entry = canonicalizeDsse(proposal(envelopeText(statement, [sig], 'text/plain'), [p256.key.pem]), ctx);
    assert.equal(entry.indexKeys.length, 3);
  });

  test('rekor test envelopes: intoto_dsse.json and the two-signature intoto_multi_dsse.json', () => {
    const pem1 = readFileSync(testdataPath('artifacts', 'intoto-dsse', 'intoto_dsse.pem'), 'utf8');
    const pem2 = readFileSync(testdataPath('artifacts', 'intoto-dsse', 'intoto_multi_pub2.pem'), 'utf8');
    for (const [file, pems] of [['intoto_dsse.json', [pem1]], ['intoto_multi_dsse.json', [pem1, pem2]]] as const) {
      const envelope = readFileSync(testdataPath('artifacts', 'intoto-dsse', file), 'utf8');
      const entry = canonicalizeDsse(proposal(envelope, [...pems]), ctx);
      const spec = bodySpec(entry);
      assert.equal(spec.signatures.length, pems.length);
      assert.equal(spec.envelopeHash.value, sha256(envelope));
      assert.ok(entry.indexKeys.includes('foo:bar'), file);
    }
  });

  test("rekor's model example (pkg/generated/models/testdata/dsse.json)", () => {
    const proposed = JSON.parse(readFileSync(testdataPath('artifacts', 'proposed-entries', 'models-dsse.json'), 'utf8')) as { spec: { proposedContent: { envelope: string } } };
    const entry = canonicalizeDsse(proposed.spec, ctx);
    assert.equal(bodySpec(entry).envelopeHash.value, sha256(proposed.spec.proposedContent.envelope));
    assert.equal(entry.indexKeys.at(-1), 'foo:bar');
  });
});

describe('dsse 0.0.1: rejected proposals', () => {
  const p256 = keyed('P-256');
  const other = keyed('P-256', 1);
  const rsa = keyed('RSA-2048');
  const altered = Buffer.from(statement.toString().replace('"a"', '"b"'));
  const truncated = b64(Buffer.from(p256.sig, 'base64').subarray(0, 40));
  const threshold = 'could not verify envelope: Accepted signatures do not match threshold, Found: 0, Expected 1';
  const cases: Array<{ name: string; spec: unknown; wantErr: string | RegExp }> = [
    { name: 'altered payload', spec: proposal(envelopeText(altered, [p256.sig]), [p256.key.pem]), wantErr: threshold },
    { name: 'wrong key', spec: proposal(envelopeText(statement, [p256.sig]), [other.key.pem]), wantErr: threshold },
    { name: 'truncated signature', spec: proposal(envelopeText(statement, [truncated]), [p256.key.pem]), wantErr: threshold },
    { name: 'extra unverifiable signature', spec: proposal(envelopeText(statement, [p256.sig, other.sig]), [p256.key.pem]), wantErr: 'all signatures must have a key that verifies it' },
    { name: 'verifier that verifies nothing', spec: proposal(envelopeText(statement, [p256.sig]), [p256.key.pem, rsa.key.pem]), wantErr: threshold },
    { name: 'one key for two signatures', spec: proposal(envelopeText(statement, [p256.sig, signPae(p256.key, IN_TOTO, altered)]), [p256.key.pem]), wantErr: 'all signatures must have a key that verifies it' },
    { name: 'no signatures', spec: proposal(envelopeText(statement, []), [p256.key.pem]), wantErr: 'could not verify envelope: no signature found' },
    { name: 'signature not base64', spec: proposal(envelopeText(statement, ['***']), [p256.key.pem]), wantErr: /unable to base64 decode/ },
    { name: 'envelope not JSON', spec: proposal('{"payload":', [p256.key.pem]), wantErr: 'invalid DSSE envelope: malformed JSON' },
    { name: 'envelope payload a number', spec: proposal('{"payload":5}', [p256.key.pem]), wantErr: 'invalid DSSE envelope: payload must be a string' },
    { name: 'verifier not a key', spec: proposal(envelopeText(statement, [p256.sig]), ['not pem']), wantErr: 'could not parse public key as x509: invalid public key: failure decoding PEM' },
    {
      name: 'proposedContent and canonical fields',
      spec: { ...proposal(envelopeText(statement, [p256.sig]), [p256.key.pem]), payloadHash: { algorithm: 'sha256', value: 'x' } },
      wantErr: 'either proposedContent or envelopeHash, payloadHash, and signatures must be present but not both',
    },
    { name: 'nothing', spec: {}, wantErr: 'either proposedContent or envelopeHash, payloadHash, and signatures must be present' },
    {
      name: 'canonical fields only',
      spec: { envelopeHash: { algorithm: 'sha256', value: 'a' }, payloadHash: { algorithm: 'sha256', value: 'b' }, signatures: [{ signature: 'AAAA', verifier: 'AAAA' }] },
      wantErr: 'entry not insertable into log: missing proposed content',
    },
    { name: 'no verifiers', spec: { proposedContent: { envelope: '{}', verifiers: [] } }, wantErr: 'validation failure list:\nproposedContent.proposedContent.verifiers in body should have at least 1 items' },
    { name: 'no envelope', spec: { proposedContent: { verifiers: ['AAAA'] } }, wantErr: 'validation failure list:\nproposedContent.proposedContent.envelope in body is required' },
    { name: 'bad hash algorithm', spec: { envelopeHash: { algorithm: 'md5', value: 'a' } }, wantErr: 'validation failure list:\nenvelopeHash.envelopeHash.algorithm in body should be one of [sha256]' },
    { name: 'too many verifiers', spec: { proposedContent: { envelope: '{}', verifiers: Array(17).fill('AAAA') } }, wantErr: /too many verifiers/ },
    { name: 'spec not an object', spec: [], wantErr: 'unsupported input type []interface {} for DecodeEntry' },
  ];
  for (const c of cases) test(c.name, () => expectError(c.spec, c.wantErr));
});

describe('dsse 0.0.1: byte-identical to production Rekor bodies', () => {
  interface Bundle {
    dsseEnvelope: { payload: string; payloadType: string; signatures: Array<{ sig: string; keyid?: string }> };
    verificationMaterial: {
      certificate?: { rawBytes: string };
      x509CertificateChain?: { certificates: Array<{ rawBytes: string }> };
      tlogEntries: Array<{ kindVersion: { kind: string; version: string }; canonicalizedBody: string }>;
    };
  }
  // The envelope strings clients sent: sigstore-js (field order payload, payloadType, signatures
  // {sig, keyid?}) and Go clients such as cosign (payloadType, payload, {keyid, sig}).
  const candidates = (env: Bundle['dsseEnvelope']): string[] => [
    JSON.stringify({ payload: env.payload, payloadType: env.payloadType, signatures: env.signatures.map((s) => ({ sig: s.sig, ...(s.keyid === undefined ? {} : { keyid: s.keyid }) })) }),
    JSON.stringify({ payload: env.payload, payloadType: env.payloadType, signatures: env.signatures.map((s) => ({ sig: s.sig })) }),
    JSON.stringify({ payloadType: env.payloadType, payload: env.payload, signatures: env.signatures.map((s) => ({ keyid: s.keyid ?? '', sig: s.sig })) }),
  ];
  const files = ['conformance-happy-path-intoto-in-dsse-v3.sigstore.json', 'cosign-oci-attestation.sigstore.json', 'sigstore-js-bundleV01-dsse-with-proof.sigstore', 'sigstore-js-bundleV03-dsse.sigstore', 'sigstore-rs-bundle_v03.json'];
  for (const file of files) {
    test(file, () => {
      const bundle = JSON.parse(readFileSync(testdataPath('entries', 'bundles', 'production-v1', file), 'utf8')) as Bundle;
      const tlog = bundle.verificationMaterial.tlogEntries[0];
      assert.deepEqual(tlog?.kindVersion, { kind: 'dsse', version: '0.0.1' });
      const want = Buffer.from(tlog.canonicalizedBody, 'base64');
      const wantHash = (JSON.parse(want.toString()) as { spec: { envelopeHash: { value: string } } }).spec.envelopeHash.value;
      const envelope = candidates(bundle.dsseEnvelope).find((text) => sha256(text) === wantHash);
      assert.ok(envelope !== undefined, 'no reconstruction of the envelope string matches envelopeHash');
      const vm = bundle.verificationMaterial;
      const der = Buffer.from(vm.certificate?.rawBytes ?? vm.x509CertificateChain?.certificates[0]?.rawBytes ?? '', 'base64');
      const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
      const entry = canonicalizeDsse(proposal(envelope, [pem]), ctx);
      assert.equal(Buffer.from(entry.body).toString(), want.toString());
      assert.ok(entry.indexKeys.some((k) => k.includes('@') || k.startsWith('https://')), 'certificate subjects are indexed');
    });
  }
});
