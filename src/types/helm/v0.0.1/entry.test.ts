import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { parsePgpPublicKey } from '../../../pki/pgp/index.js';
import { repoRoot, testdataPath } from '../../../../test/testdata.js';
import { defaultRegistry, defaultTypeContext } from '../../index.js';
import type { CanonicalEntry } from '../../types.js';
import { canonicalizeHelm } from './entry.js';
import { CHART_DIGEST, helmSpec, provenanceSigner, provenanceText, type ProvenanceSigner, type Spec } from './testonly.js';
import { invalidEntryWith } from '../../../fuzz-testonly.js';

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const b64 = (b: Uint8Array | string) => Buffer.from(b).toString('base64');

async function expectError(spec: unknown, want: string | RegExp): Promise<void> {
  await assert.rejects(canonicalizeHelm(spec), invalidEntryWith(want));
}

const schema = JSON.parse(readFileSync(join(repoRoot, 'src/types/helm/v0.0.1/helm_v0_0_1_schema.json'), 'utf8')) as object;
const validateSpecSchema = new Ajv({ strict: false, validateFormats: false }).compile(schema);

type Body = { chart: { hash: { algorithm: string; value: string }; provenance: { signature: { content: string } } }; publicKey: { content: string } };

function checkBody(entry: CanonicalEntry, schemaValid = true): Body {
  const body = JSON.parse(Buffer.from(entry.body).toString()) as { apiVersion: string; kind: string; spec: Body };
  assert.deepEqual(Object.keys(body), ['apiVersion', 'kind', 'spec']);
  assert.equal(body.kind, 'helm');
  assert.equal(body.apiVersion, '0.0.1');
  assert.deepEqual(Object.keys(body.spec), ['chart', 'publicKey']);
  assert.deepEqual(Object.keys(body.spec.chart), ['hash', 'provenance']);
  assert.deepEqual(Object.keys(body.spec.chart.provenance), ['signature']);
  assert.equal(validateSpecSchema(body.spec), schemaValid, JSON.stringify(validateSpecSchema.errors));
  return body.spec;
}

/** The armored signature block of a clear-signed file, as Go re-armors it: no final newline. */
function armoredSignature(prov: Uint8Array): string {
  const text = Buffer.from(prov).toString('latin1');
  const start = text.indexOf('-----BEGIN PGP SIGNATURE-----');
  const end = text.indexOf('-----END PGP SIGNATURE-----') + '-----END PGP SIGNATURE-----'.length;
  return text.slice(start, end);
}

describe('helm 0.0.1: Rekor\'s own fixtures', () => {
  const prov = readFileSync(testdataPath('artifacts', 'helm', 'test-0.1.0.tgz.prov'));
  const key = readFileSync(testdataPath('artifacts', 'helm', 'test_helm_armor.pub'));
  const digest = '6dec7ea21e655d5796c1e214cfb75b73428b2abfa2e66c8f7bc64ff4a7b3b29f';

  test('the provenance verifies with its (since expired) key; body and index keys as Rekor', async () => {
    const entry = await canonicalizeHelm(helmSpec(key, prov));
    const body = checkBody(entry);
    assert.deepEqual(body.chart.hash, { algorithm: 'sha256', value: digest });
    assert.equal(Buffer.from(body.chart.provenance.signature.content, 'base64').toString('latin1'), armoredSignature(prov));
    const canonicalKey = (await parsePgpPublicKey(key)).canonical;
    assert.equal(body.publicKey.content, b64(canonicalKey));
    assert.deepEqual(entry.indexKeys, [sha256(canonicalKey), 'not@real.com', `sha256:${digest}`]);
  });

  test('rekor-cli\'s helm.json proposed entry goes through the registry', async () => {
    const proposed = JSON.parse(readFileSync(testdataPath('artifacts', 'proposed-entries', 'helm.json'), 'utf8')) as { kind: string; apiVersion: string; spec: Spec };
    const viaRegistry = await defaultRegistry({}).canonicalizeProposed(proposed.kind, proposed.apiVersion, proposed.spec, defaultTypeContext());
    const direct = await canonicalizeHelm(helmSpec(key, prov));
    assert.deepEqual(viaRegistry, direct);
  });

  test('altered text, other key, cut signature', async () => {
    const altered = Buffer.from(prov.toString('latin1').replace('Test Helm Chart', 'Test Helm Chard'), 'latin1');
    await expectError(helmSpec(key, altered), /^pgp verification failed: /);
    const signer = provenanceSigner();
    try {
      await expectError(helmSpec(signer.publicKey, prov), 'signature made by unknown entity');
    } finally {
      signer.dispose();
    }
    const text = prov.toString('latin1');
    const cut = text.indexOf('=BNTk');
    await expectError(helmSpec(key, Buffer.from(text.slice(0, cut - 20) + text.slice(cut), 'latin1')), 'unable to decode provenance file');
    await expectError(helmSpec(key, Buffer.from(text.slice(0, text.length - 10), 'latin1')), 'unable to decode provenance file');
  });
});

describe('helm 0.0.1: provenance files clear-signed by gpg', () => {
  let signer: ProvenanceSigner;
  let rsa: ProvenanceSigner;
  before(() => {
    signer = provenanceSigner();
    rsa = provenanceSigner('RSA Maintainer <rsa@example.org>', 'rsa3072');
  });
  after(() => {
    signer.dispose();
    rsa.dispose();
  });

  const sign = (text: string, s = signer) => helmSpec(s.publicKey, s.clearsign(text));

  test('Ed25519 and RSA keys; dash-escaped YAML list lines verify', async () => {
    for (const s of [signer, rsa]) {
      const prov = s.clearsign(provenanceText());
      assert.match(Buffer.from(prov).toString(), /^- - transparency$/m, 'gpg dash-escapes the list lines');
      const entry = await canonicalizeHelm(helmSpec(s.publicKey, prov));
      const body = checkBody(entry);
      assert.deepEqual(body.chart.hash, { algorithm: 'sha256', value: CHART_DIGEST });
      assert.equal(Buffer.from(body.chart.provenance.signature.content, 'base64').toString('latin1'), armoredSignature(prov));
      const canonicalKey = (await parsePgpPublicKey(s.publicKey)).canonical;
      const email = s === signer ? 'charts@example.com' : 'rsa@example.org';
      assert.deepEqual(entry.indexKeys, [sha256(canonicalKey), email, `sha256:${CHART_DIGEST}`]);
    }
  });

  test('CRLF line endings and trailing blanks do not change what is signed', async () => {
    const prov = Buffer.from(signer.clearsign(provenanceText())).toString();
    const crlf = Buffer.from(prov.replace(/\n/g, '\r\n').replace('name: demo', 'name: demo  \t'));
    const entry = await canonicalizeHelm(helmSpec(signer.publicKey, crlf));
    assert.equal(checkBody(entry).chart.hash.value, CHART_DIGEST);
  });

  // Rekor stores whatever the provenance says, even an algorithm its own schema's enum refuses
  // (the canonical body is never validated); only the index key is lower-cased.
  test('the digest algorithm and case come from the provenance; upper case is lowered in the index', async () => {
    const upper = CHART_DIGEST.toUpperCase();
    const entry = await canonicalizeHelm(sign(provenanceText(`files:\n  demo-1.2.3.tgz: SHA256:${upper}\nimages:\n  x: registry.example/x:1\n`)));
    assert.deepEqual(checkBody(entry, false).chart.hash, { algorithm: 'SHA256', value: upper });
    assert.equal(entry.indexKeys.at(-1), `sha256:${CHART_DIGEST}`);
  });

  test('the sum collection read as Go reads it: YAML 1.1 via JSON into a struct', async () => {
    const digestOf = async (sums: string) => checkBody(await canonicalizeHelm(sign(provenanceText(sums)))).chart.hash.value;
    // A repeated key overrides; field names match case-insensitively; timestamps stay strings.
    assert.equal(await digestOf(`files:\n  a.tgz: sha256:${'1'.repeat(64)}\nfiles:\n  b.tgz: sha256:${CHART_DIGEST}\n`), CHART_DIGEST);
    assert.equal(await digestOf(`Files:\n  demo.tgz: sha256:${CHART_DIGEST}\nimages:\n  built: 2001-12-14\n`), CHART_DIGEST);
  });

  test('a tampered text no longer verifies', async () => {
    const prov = Buffer.from(signer.clearsign(provenanceText())).toString();
    const tampered = Buffer.from(prov.replace(`sha256:${CHART_DIGEST}`, `sha256:${'0'.repeat(64)}`));
    await expectError(helmSpec(signer.publicKey, tampered), /^pgp verification failed: /);
  });

  test('another key: unknown entity', async () => {
    await expectError(helmSpec(rsa.publicKey, signer.clearsign(provenanceText())), 'signature made by unknown entity');
  });

  test('sum collections Rekor refuses after verifying', async () => {
    await expectError(sign(provenanceText('images:\n  a: b\n')), 'unable to locate chart hash');
    await expectError(sign(provenanceText('\n')), 'unable to locate chart hash');
    await expectError(sign(provenanceText('{}\n')), 'unable to locate chart hash');
    await expectError(sign(provenanceText('files: null\n')), 'unable to locate chart hash');
    await expectError(sign(provenanceText('files: {}\n')), 'no checksums found');
    await expectError(sign(provenanceText('files:\n  demo.tgz: sha256\n')), 'invalid hash found in Provenance file');
    await expectError(sign(provenanceText('files:\n  demo.tgz: sha256:ab:cd\n')), 'invalid hash found in Provenance file');
    await expectError(sign(provenanceText('files:\n  demo.tgz:\n')), 'invalid hash found in Provenance file');
  });

  test('sum collections Rekor refuses before verifying', async () => {
    const prefix = 'error occurred parsing message block: ';
    await expectError(sign('apiVersion: v2\nname: demo\n'), `${prefix}message block must have at least two parts`);
    // Signed text loses its final line break, so an empty sum collection leaves no separator.
    await expectError(sign(provenanceText('')), `${prefix}message block must have at least two parts`);
    // YAML 1.1, as Go's yaml.v2 reads it: `y` is a boolean, not a string.
    await expectError(sign(provenanceText(`files:\n  demo.tgz: sha256:${CHART_DIGEST}\nimages:\n  x: y\n`)), `${prefix}error occurred parsing SumCollection: json: cannot unmarshal bool into Go struct field SumCollection.images of type string`);
    await expectError(sign(provenanceText('files:\n  demo.tgz: 12\n')), `${prefix}error occurred parsing SumCollection: json: cannot unmarshal number into Go struct field SumCollection.files of type string`);
    await expectError(sign(provenanceText('files: [a, b]\n')), `${prefix}error occurred parsing SumCollection: json: cannot unmarshal array into Go struct field SumCollection.files of type map[string]string`);
    await expectError(sign(provenanceText('- a\n- b\n')), `${prefix}error occurred parsing SumCollection: json: cannot unmarshal array into Go value of type helm.SumCollection`);
    await expectError(sign(provenanceText('files: {a: [\n')), new RegExp(`^${prefix}error occurred parsing SumCollection: error converting YAML to JSON: `));
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)];
    const started = Date.now();
    await expectError(sign(provenanceText(`${bomb.join('\n')}\nfiles:\n  d.tgz: sha256:${CHART_DIGEST}\n`)), new RegExp(`^${prefix}error occurred parsing SumCollection: error converting YAML to JSON: `));
    assert.ok(Date.now() - started < 5_000, 'alias expansion is bounded');
  });

  test('clear-signed framing Rekor does not decode', async () => {
    const prov = Buffer.from(signer.clearsign(provenanceText())).toString();
    const bad = (text: string) => expectError(helmSpec(signer.publicKey, Buffer.from(text)), 'unable to decode provenance file');
    await bad(provenanceText());
    await bad(prov.replace('Hash: SHA512', 'Hash: SHA999').replace('Hash: SHA256', 'Hash: SHA999'));
    await bad(prov.replace(/^Hash: .*$/m, 'Comment: hello'));
    await bad(prov.replace('-----BEGIN PGP SIGNED MESSAGE-----', '-----BEGIN PGP SIGNED MESSAGE----- x'));
    await bad(prov.replace('-----END PGP SIGNATURE-----', ''));
    await bad(prov.replace(/-----BEGIN PGP SIGNATURE-----[^]*$/, ''));
    // An empty signed text: Go panics here; we refuse it.
    await bad(prov.replace(/\n\n[^]*?-----BEGIN PGP SIGNATURE-----/, '\n\n-----BEGIN PGP SIGNATURE-----'));
    // Garbage before the framing is skipped, as in Go.
    const entry = await canonicalizeHelm(helmSpec(signer.publicKey, Buffer.from(`junk\n${prov}`)));
    assert.equal(checkBody(entry).chart.hash.value, CHART_DIGEST);
  });

  test('a truncated or altered signature packet', async () => {
    const prov = Buffer.from(signer.clearsign(provenanceText())).toString();
    const sig = armoredSignature(Buffer.from(prov));
    const lines = sig.split('\n');
    const body = Buffer.from(lines.slice(2, -2).join(''), 'base64');
    const rearmor = (bytes: Buffer) => `-----BEGIN PGP SIGNATURE-----\n\n${bytes.toString('base64')}\n-----END PGP SIGNATURE-----`;
    await expectError(helmSpec(signer.publicKey, Buffer.from(prov.replace(sig, rearmor(body.subarray(0, body.length - 10))))), /^invalid PGP signature: /);
    const flipped = Buffer.from(body);
    flipped.writeUInt8((flipped.at(-5) ?? 0) ^ 0x01, flipped.length - 5);
    await expectError(helmSpec(signer.publicKey, Buffer.from(prov.replace(sig, rearmor(flipped)))), /^pgp verification failed: /);
  });
});

describe('helm 0.0.1: the spec as Rekor reads it', () => {
  const prov = readFileSync(testdataPath('artifacts', 'helm', 'test-0.1.0.tgz.prov'));
  const key = readFileSync(testdataPath('artifacts', 'helm', 'test_helm_armor.pub'));
  const list = (...lines: string[]) => ['validation failure list:', ...lines].join('\n');

  test('schema errors with go-openapi names', async () => {
    await expectError('x', 'unsupported input type string for DecodeEntry');
    await expectError({}, list('chart in body is required', 'publicKey in body is required'));
    await expectError({ chart: {}, publicKey: {} }, list('chart.chart.provenance in body is required', 'publicKey.publicKey.content in body is required'));
    await expectError({ chart: { hash: {}, provenance: {} }, publicKey: { content: b64(key) } }, list('chart.chart.hash.chart.hash.algorithm in body is required'));
    await expectError({ chart: { hash: { algorithm: 'sha1', value: 'x' }, provenance: {} }, publicKey: { content: b64(key) } }, list('chart.chart.hash.chart.hash.algorithm in body should be one of [sha256]'));
    await expectError(
      { chart: { provenance: { signature: {} } }, publicKey: { content: b64(key) } },
      list('chart.chart.provenance.chart.provenance.signature.chart.provenance.signature.content in body is required'),
    );
  });

  test('cross-field and insertability checks', async () => {
    await expectError({ chart: { provenance: {} }, publicKey: { content: b64(key) } }, "'content' must be specified for provenance");
    await expectError({ chart: { provenance: { content: '\n' } }, publicKey: { content: b64(key) } }, "'content' must be specified for provenance");
    await expectError({ chart: { provenance: { content: b64(prov) } }, publicKey: { content: '\r\n' } }, "'content' must be specified for publicKey");
    await expectError({ chart: { provenance: { signature: { content: b64('sig') } } }, publicKey: { content: b64(key) } }, 'entry not insertable into log: missing provenance content');
  });

  test('base64 errors name the field', async () => {
    await expectError({ chart: { provenance: { content: '!!' } }, publicKey: { content: b64(key) } }, 'failed parsing base64 data for provenance content: illegal base64 data at input byte 0');
    await expectError({ chart: { provenance: { content: b64(prov) } }, publicKey: { content: 'a' } }, 'failed parsing base64 data for publicKey content: illegal base64 data at input byte 0');
  });

  test('a submitted chart hash is ignored; the provenance decides', async () => {
    const spec = { ...helmSpec(key, prov), chart: { hash: { algorithm: 'sha256', value: '00' }, provenance: { content: b64(prov) } } };
    const entry = await canonicalizeHelm(spec);
    assert.equal(checkBody(entry).chart.hash.value, '6dec7ea21e655d5796c1e214cfb75b73428b2abfa2e66c8f7bc64ff4a7b3b29f');
  });

  test('an unusable key and an oversized provenance', async () => {
    await expectError(helmSpec(Buffer.from('not a key at all'), prov), /PGP public key/);
    await expectError(helmSpec(key, Buffer.alloc((1 << 20) + 1, 0x41)), 'provenance file is larger than 1048576 bytes');
  });
});
