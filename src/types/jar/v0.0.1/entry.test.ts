import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { encodePem } from '../../../pki/pem.js';
import { canonicalPkcs7Signature, pkcs7PublicKey, readPkcs7 } from '../../../pki/pkcs7/index.js';
import { repoRoot, testdataPath } from '../../../../test/testdata.js';
import { canonicalEntry } from '../../canonical.js';
import { defaultTypeContext, type CanonicalEntry, type TypeContext } from '../../types.js';
import { canonicalizeJar } from './entry.js';
import { entriesOf, jarWorkspace, replaceEntry, specOf, zipOf, type JarWorkspace, type Spec } from './testonly.js';
import { invalidEntryWith } from '../../../fuzz-testonly.js';

const ctx = defaultTypeContext();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function expectError(spec: unknown, want: string | RegExp, context: TypeContext = ctx): Promise<void> {
  await assert.rejects(canonicalizeJar(spec, context), invalidEntryWith(want));
}

const schema = JSON.parse(readFileSync(join(repoRoot, 'src/types/jar/v0.0.1/jar_v0_0_1_schema.json'), 'utf8')) as object;
const validateSpecSchema = new Ajv({ strict: false, validateFormats: false }).compile(schema);

interface BodySpec {
  archive: { hash: { algorithm: string; value: string } };
  signature: { content: string; publicKey: { content: string } };
}

function checkBody(entry: CanonicalEntry): BodySpec {
  const body = JSON.parse(Buffer.from(entry.body).toString()) as { apiVersion: string; kind: string; spec: BodySpec };
  assert.deepEqual(Object.keys(body), ['apiVersion', 'kind', 'spec']);
  assert.equal(body.kind, 'jar');
  assert.equal(body.apiVersion, '0.0.1');
  assert.deepEqual(Object.keys(body.spec), ['archive', 'signature']);
  assert.deepEqual(Object.keys(body.spec.archive), ['hash']);
  assert.deepEqual(Object.keys(body.spec.signature), ['content', 'publicKey']);
  assert.ok(validateSpecSchema(body.spec), JSON.stringify(validateSpecSchema.errors));
  return body.spec;
}

describe('jar 0.0.1: the production entry (logIndex 3120029, Fulcio-issued signer)', () => {
  const file = JSON.parse(readFileSync(testdataPath('entries', 'rekor-v1-api', 'production', 'jar-3120029.json'), 'utf8')) as Record<string, { body: string }>;
  const [uuid, logEntry] = Object.entries(file)[0] as [string, { body: string }];
  const body = Buffer.from(logEntry.body, 'base64');
  const stored = (JSON.parse(body.toString()) as { spec: BodySpec }).spec;
  const signature = Buffer.from(stored.signature.content, 'base64');

  // The JAR is not published, so its signature cannot be re-verified here; what can be checked
  // is that our PKCS#7 handling and body builder reproduce the stored bytes from the stored fields.
  test('the stored signature and certificate are what our pkcs7 canonicalization writes', () => {
    const sd = readPkcs7(signature);
    assert.deepEqual(Buffer.from(canonicalPkcs7Signature(sd)), signature);
    assert.equal(sd.certificates.length, 3);
    // Rekor takes the first bundled certificate (here the root), not the signer's.
    assert.deepEqual(Buffer.from(pkcs7PublicKey(sd).canonical), Buffer.from(stored.signature.publicKey.content, 'base64'));
    assert.deepEqual(Buffer.from(readPkcs7(sd.detached).detached), Buffer.from(sd.detached), 'DER input gives the same canonical form');
  });
  test('the stored spec re-serializes to the stored body and UUID; index keys as Rekor writes them', () => {
    const keys = [sha256(signature), `sha256:${stored.archive.hash.value}`];
    const entry = canonicalEntry('jar', '0.0.1', stored, keys);
    assert.deepEqual(Buffer.from(entry.body), body);
    assert.equal(hex(entry.leafHash), uuid.slice(16));
    assert.deepEqual(entry.indexKeys, keys);
    checkBody(entry);
  });
});

describe('jar 0.0.1: JARs signed by the JDK', () => {
  let ws: JarWorkspace;
  const jars: Record<string, Buffer> = {};
  before(() => {
    ws = jarWorkspace();
    ws.makeKey('rsa', 'RSA');
    ws.makeKey('ec', 'EC');
    ws.makeKey('other', 'RSA');
    const unsigned = ws.unsignedJar();
    jars['unsigned'] = unsigned;
    jars['rsa'] = ws.sign(unsigned, 'rsa');
    jars['ec'] = ws.sign(unsigned, 'ec');
    jars['two'] = ws.sign(unsigned, 'rsa', 'ec');
    jars['sections'] = ws.signWith(unsigned, 'ec', ['-sectionsonly']);
    jars['sha384'] = ws.signWith(unsigned, 'rsa', ['-digestalg', 'SHA-384', '-sigalg', 'SHA384withRSA']);
    jars['pss'] = ws.signWith(unsigned, 'rsa', ['-sigalg', 'RSASSA-PSS']);
    // Same alias file names as 'rsa' (META-INF/RSA.*), another key, another manifest.
    jars['otherKey'] = ws.sign(ws.unsignedJar({ 'other.txt': 'other\n' }), 'other');
  });
  after(() => ws.dispose());
  const jar = (name: string) => jars[name] as Buffer;

  for (const [name, alias, block] of [['rsa', 'rsa', 'META-INF/RSA.RSA'], ['ec', 'ec', 'META-INF/EC.EC']] as const) {
    test(`${name}: accepted, with and without archive.hash; body, key and index keys exact`, async () => {
      const archive = jar(name);
      const entry = await canonicalizeJar(specOf(archive), ctx);
      const spec = checkBody(entry);
      assert.deepEqual(spec.archive.hash, { algorithm: 'sha256', value: sha256(archive) });
      const blockDer = entriesOf(archive).find((e) => e.name === block)?.data as Buffer;
      const signaturePem = Buffer.from(encodePem('PKCS7', blockDer));
      assert.equal(spec.signature.content, signaturePem.toString('base64'), 'jarsigner writes DER, so the canonical form is its block as PEM');
      assert.equal(spec.signature.publicKey.content, Buffer.from(encodePem('CERTIFICATE', ws.certificate(alias))).toString('base64'));
      assert.deepEqual(entry.indexKeys, [sha256(signaturePem), `sha256:${sha256(archive)}`]);
      const hashed = await canonicalizeJar(specOf(archive, sha256(archive)), ctx);
      assert.deepEqual(hashed.body, entry.body, 'a correct archive.hash changes nothing');
      const withSignature = { ...specOf(archive), signature: { content: 'AAAA', publicKey: { content: 'AAAA' } } };
      assert.deepEqual((await canonicalizeJar(withSignature, ctx)).body, entry.body, 'a client-sent signature is ignored');
    });
  }

  test('per-section .SF digests (jarsigner -sectionsonly), SHA-384 digests and RSASSA-PSS are verified', async () => {
    for (const name of ['sections', 'sha384', 'pss']) checkBody(await canonicalizeJar(specOf(jar(name)), ctx));
    const sf = entriesOf(jar('sections')).find((e) => e.name === 'META-INF/EC.SF')?.data.toString('latin1') ?? '';
    assert.doesNotMatch(sf, /-Digest-Manifest:/u, 'no whole-manifest digest');
    const editManifest = (edit: (m: string) => string) =>
      specOf(replaceEntry(jar('sections'), 'META-INF/MANIFEST.MF', (d) => Buffer.from(edit(d.toString('latin1')), 'latin1')));
    await expectError(editManifest((m) => m.replace('Manifest-Version: 1.0', 'Manifest-Version: 1.1')), /^manifest main attributes signature: Sha-256-Digest-Manifest-Main-Attributes mismatch: /u);
    await expectError(editManifest((m) => m.replace(/(Name: README\.md\r\nSHA-256-Digest: )./u, '$1A')), /^manifest signature over section "README\.md": Sha-256-Digest mismatch: /u);
    await expectError(editManifest((m) => m.replace('Name: README.md', 'Name: README.txt')), 'manifest is missing signed section "README.md"');
    const pssFlipped = replaceEntry(jar('pss'), 'META-INF/RSA.RSA', (d) => {
      const out = Buffer.from(d);
      out[out.length - 5] = (out[out.length - 5] as number) ^ 0x01;
      return out;
    });
    await expectError(specOf(pssFlipped), 'crypto/rsa: verification error');
    const sha384 = replaceEntry(jar('sha384'), 'README.md', (d) => Buffer.concat([d, Buffer.from('!')]));
    await expectError(specOf(sha384), /^file "README\.md" in MANIFEST\.MF: Sha-384-Digest mismatch: /u);
  });

  test('a signature block without signed attributes (openssl cms -noattr) verifies over the .SF', async () => {
    const sf = entriesOf(jar('rsa')).find((e) => e.name === 'META-INF/RSA.SF')?.data as Buffer;
    const block = ws.opensslSign(sf);
    const archive = replaceEntry(jar('rsa'), 'META-INF/RSA.RSA', () => block);
    const spec = checkBody(await canonicalizeJar(specOf(archive), ctx));
    assert.equal(spec.signature.content, Buffer.from(encodePem('PKCS7', block)).toString('base64'));
    const tampered = replaceEntry(archive, 'META-INF/RSA.SF', (d) => Buffer.concat([d, Buffer.from('X-Extra: 1\r\n\r\n')]));
    await expectError(specOf(tampered), 'crypto/rsa: verification error');
  });

  test('an RFC 3161 timestamp (openssl ts) on the signer is verified', async () => {
    const block = entriesOf(jar('rsa')).find((e) => e.name === 'META-INF/RSA.RSA')?.data as Buffer;
    const stamped = ws.timestamp(block);
    const archive = replaceEntry(jar('rsa'), 'META-INF/RSA.RSA', () => stamped);
    const spec = checkBody(await canonicalizeJar(specOf(archive), ctx));
    assert.equal(spec.signature.content, Buffer.from(encodePem('PKCS7', stamped)).toString('base64'), 'the token is kept in the stored signature');
    const wrongImprint = replaceEntry(jar('rsa'), 'META-INF/RSA.RSA', () => ws.timestamp(block, Buffer.from('not the signature')));
    await expectError(specOf(wrongImprint), 'verifying timestamp imprint: pkcs9: digest check failed');
  });

  test('an unsigned JAR is refused', async () => {
    await expectError(specOf(jar('unsigned')), 'JAR contains no signatures');
  });

  test('a JAR signed twice is refused', async () => {
    await expectError(specOf(jar('two')), 'multiple signatures detected in JAR; unable to process');
  });

  test('altered class and resource after signing are refused', async () => {
    for (const name of ['com/example/Hello.class', 'com/example/data.txt']) {
      const archive = replaceEntry(jar('rsa'), name, (d) => Buffer.concat([d, Buffer.from('!')]));
      await expectError(specOf(archive), new RegExp(`^file "${name}" in MANIFEST\\.MF: Sha-256-Digest mismatch: manifest \\S+ != calculated \\S+$`, 'u'));
    }
    const removed = zipOf(entriesOf(jar('ec')).filter((e) => e.name !== 'README.md'));
    await expectError(specOf(removed), 'file README.md is in manifest but not JAR');
  });

  test('an altered manifest is refused', async () => {
    const edits: Array<(m: string) => string> = [
      (m) => m.replace('README.md', 'README.MD'),
      (m) => m.replace(/SHA-256-Digest: ./u, 'SHA-256-Digest: A'),
      (m) => `${m}Name: added.txt\r\nSHA-256-Digest: AAAA\r\n\r\n`,
    ];
    for (const edit of edits) {
      const archive = replaceEntry(jar('rsa'), 'META-INF/MANIFEST.MF', (d) => Buffer.from(edit(d.toString('latin1')), 'latin1'));
      await expectError(specOf(archive), /^manifest signature: Sha-256-Digest-Manifest mismatch: manifest \S+ != calculated \S+$/u);
    }
    const gone = zipOf(entriesOf(jar('rsa')).filter((e) => e.name !== 'META-INF/MANIFEST.MF'));
    await expectError(specOf(gone), 'JAR contains no META-INF/MANIFEST.MF');
  });

  test('an altered .SF or signature block is refused', async () => {
    const sfEdited = replaceEntry(jar('rsa'), 'META-INF/RSA.SF', (d) => Buffer.from(d.toString('latin1').replace('Signature-Version: 1.0', 'Signature-Version: 1.1'), 'latin1'));
    await expectError(specOf(sfEdited), 'pkcs7: content digest does not match');
    const ecSf = replaceEntry(jar('ec'), 'META-INF/EC.SF', (d) => Buffer.concat([d, Buffer.from('Name: x\r\nSHA-256-Digest: AAAA\r\n\r\n')]));
    await expectError(specOf(ecSf), 'pkcs7: content digest does not match');
    const otherBlock = entriesOf(jar('otherKey')).find((e) => e.name === 'META-INF/OTHER.RSA')?.data as Buffer;
    const swapped = replaceEntry(jar('rsa'), 'META-INF/RSA.RSA', () => otherBlock);
    await expectError(specOf(swapped), 'pkcs7: content digest does not match');
    const truncated = replaceEntry(jar('rsa'), 'META-INF/RSA.RSA', (d) => d.subarray(0, d.length - 10));
    await expectError(specOf(truncated), /^asn1: /u);
    const noBlock = zipOf(entriesOf(jar('rsa')).filter((e) => e.name !== 'META-INF/RSA.RSA'));
    await expectError(specOf(noBlock), 'JAR contains sigfile META-INF/RSA.SF with no matching signature');
    // Flip one byte of the RSA signature value itself (the last bytes of the block).
    const flipped = replaceEntry(jar('rsa'), 'META-INF/RSA.RSA', (d) => {
      const out = Buffer.from(d);
      out[out.length - 5] = (out[out.length - 5] as number) ^ 0x01;
      return out;
    });
    await expectError(specOf(flipped), 'crypto/rsa: verification error');
  });

  test('truncated or damaged archives are refused as zips', async () => {
    const archive = jar('rsa');
    for (const cut of [1, 22, 100, Math.floor(archive.length / 2)]) {
      await expectError(specOf(archive.subarray(0, archive.length - cut)), /^zip: /u);
    }
    await expectError(specOf(archive.subarray(0, 30)), /^zip: not a valid zip file: /u);
    await expectError(specOf(Buffer.from('not a zip at all')), /^zip: not a valid zip file: /u);
  });

  test('metadata larger than max_jar_metadata_size is refused; 0 means unlimited', async () => {
    const archive = jar('rsa');
    const manifest = entriesOf(archive).find((e) => e.name === 'META-INF/MANIFEST.MF')?.data as Buffer;
    const small = defaultTypeContext({ limits: { maxJarMetadataSize: 100 } });
    await expectError(specOf(archive), `uncompressed jar metadata of size ${manifest.length} exceeds max allowed size 100`, small);
    const unlimited = defaultTypeContext({ limits: { maxJarMetadataSize: 0 } });
    checkBody(await canonicalizeJar(specOf(archive), unlimited));
    const big = zipOf([...entriesOf(archive), { name: 'META-INF/LICENSE.txt', data: Buffer.alloc(1024 * 1024 + 1, 0x41) }]);
    await expectError(specOf(big), 'uncompressed jar metadata of size 1048577 exceeds max allowed size 1048576');
    assert.throws(() => defaultTypeContext({ limits: { maxJarMetadataSize: -1 } }), /maxJarMetadataSize/u);
  });

  test('hash mismatch and upper-case hash', async () => {
    const archive = jar('ec');
    const computed = sha256(archive);
    const wrong = sha256(Buffer.from('x'));
    await expectError(specOf(archive, wrong), `SHA mismatch: ${computed} != ${wrong}`);
    await expectError(specOf(archive, computed.toUpperCase()), `SHA mismatch: ${computed} != ${computed.toUpperCase()}`);
    await expectError(specOf(archive, computed.slice(2)), 'invalid value for hash');
  });
});

describe('jar 0.0.1: malformed specs', () => {
  const good = (): Spec & { archive: Spec } => ({ archive: { content: Buffer.from('PK').toString('base64') } });
  const cases: Array<{ name: string; spec: unknown; want: string | RegExp }> = [
    { name: 'not an object', spec: 'jar', want: 'unsupported input type string for DecodeEntry' },
    { name: 'empty', spec: {}, want: 'validation failure list:\narchive in body is required' },
    { name: 'archive not an object', spec: { archive: [] }, want: 'validation failure list:\narchive in body is required' },
    { name: 'no content', spec: { archive: {} }, want: "'content' must be specified for package" },
    { name: 'hash without algorithm', spec: { archive: { ...good().archive, hash: { value: 'ab' } } }, want: 'validation failure list:\narchive.archive.hash.archive.hash.algorithm in body is required' },
    { name: 'bad hash algorithm', spec: { archive: { ...good().archive, hash: { algorithm: 'sha1', value: 'ab' } } }, want: 'validation failure list:\narchive.archive.hash.archive.hash.algorithm in body should be one of [sha256]' },
    { name: 'hash without value', spec: { archive: { ...good().archive, hash: { algorithm: 'sha256' } } }, want: 'validation failure list:\narchive.archive.hash.archive.hash.value in body is required' },
    { name: 'non-hex hash', spec: { archive: { ...good().archive, hash: { algorithm: 'sha256', value: 'g'.repeat(64) } } }, want: 'invalid value for hash' },
    {
      name: 'incomplete signature',
      spec: { ...good(), signature: { publicKey: {} } },
      want: 'validation failure list:\nsignature.signature.content in body is required\nsignature.signature.publicKey.signature.publicKey.content in body is required',
    },
    { name: 'signature without archive content', spec: { archive: { hash: { algorithm: 'sha256', value: 'a'.repeat(64) } }, signature: { content: 'AAAA', publicKey: { content: 'AAAA' } } }, want: 'entry not insertable into log: missing archive content' },
    { name: 'bad base64', spec: { archive: { content: '!!' } }, want: /^failed parsing base64 data for archive content: /u },
    { name: 'archive url', spec: { archive: { url: 'https://example.com/a.jar' } }, want: /^archive\.url: fetching URLs is not enabled on this server/u },
  ];
  for (const c of cases) test(c.name, () => expectError(c.spec, c.want));
});
