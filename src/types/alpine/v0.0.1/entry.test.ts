import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { Ajv } from 'ajv';
import { parseX509PublicKey } from '../../../pki/x509/index.js';
import { repoRoot, testdataPath } from '../../../../test/testdata.js';
import { defaultTypeContext, type CanonicalEntry, type TypeContext } from '../../types.js';
import { ApkBuilder, abuildPkginfo, cutTar, gzip, setTarSize, specOf, type ApkParts } from '../testonly.js';
import { canonicalizeAlpine } from './entry.js';
import { invalidEntryWith } from '../../../fuzz-testonly.js';

const ctx = defaultTypeContext();
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const b64 = (b: Uint8Array | string) => Buffer.from(b).toString('base64');

async function expectError(spec: unknown, want: string | RegExp, context: TypeContext = ctx): Promise<void> {
  await assert.rejects(canonicalizeAlpine(spec, context), invalidEntryWith(want));
}

const schema = JSON.parse(readFileSync(join(repoRoot, 'src/types/alpine/v0.0.1/alpine_v0_0_1_schema.json'), 'utf8')) as object;
const validateSpecSchema = new Ajv({ strict: false, validateFormats: false }).compile(schema);

type Body = { package: { hash: { algorithm: string; value: string }; pkginfo: Record<string, string> }; publicKey: { content: string } };

function checkBody(entry: CanonicalEntry): Body {
  const body = JSON.parse(Buffer.from(entry.body).toString()) as { apiVersion: string; kind: string; spec: Body };
  assert.deepEqual(Object.keys(body), ['apiVersion', 'kind', 'spec']);
  assert.equal(body.kind, 'alpine');
  assert.equal(body.apiVersion, '0.0.1');
  assert.deepEqual(Object.keys(body.spec), ['package', 'publicKey']);
  assert.deepEqual(Object.keys(body.spec.package), ['hash', 'pkginfo']);
  assert.deepEqual(Object.keys(body.spec.publicKey), ['content']);
  assert.ok(validateSpecSchema(body.spec), JSON.stringify(validateSpecSchema.errors));
  return body.spec;
}

describe('alpine 0.0.1 with packages built by tar, gzip and openssl as abuild does', () => {
  let builder: ApkBuilder;
  let valid: ApkParts;
  before(() => {
    builder = new ApkBuilder();
    valid = builder.build();
  });
  after(() => builder.dispose());

  test('a signed package is accepted; body, pkginfo and index keys are as Rekor stores them', async () => {
    const entry = await canonicalizeAlpine(specOf(valid.apk, builder.publicKey), ctx);
    const spec = checkBody(entry);
    const hash = sha256(valid.apk);
    assert.deepEqual(spec.package.hash, { algorithm: 'sha256', value: hash });
    assert.deepEqual(spec.package.pkginfo, {
      pkgname: 'hello',
      pkgver: '1.0-r0',
      pkgdesc: 'A friendly greeting',
      url: 'https://example.org/hello',
      builddate: '1700000000',
      packager: 'Test Builder <builder@example.org>',
      size: '4096',
      arch: 'x86_64',
      origin: 'hello',
      commit: '0123456789abcdef0123456789abcdef01234567',
      maintainer: 'Test Maintainer <maintainer@example.org>',
      license: 'MIT',
      depend: 'so:libc.musl-x86_64.so.1',
      provides: 'cmd:hello=1.0-r0',
      datahash: sha256(valid.data),
    });
    const canonicalKey = parseX509PublicKey(builder.publicKey).canonical;
    assert.equal(spec.publicKey.content, b64(canonicalKey));
    assert.deepEqual(entry.indexKeys, [sha256(canonicalKey), `sha256:${hash}`]);
    // JCS: keys sorted, no whitespace; the package content is not stored.
    const text = Buffer.from(entry.body).toString();
    assert.ok(text.startsWith(`{"apiVersion":"0.0.1","kind":"alpine","spec":{"package":{"hash":{"algorithm":"sha256","value":"${hash}"},"pkginfo":{"arch":"x86_64","builddate"`));
    assert.ok(!text.includes(b64(valid.apk).slice(0, 40)));
  });

  test('a matching submitted hash gives the same entry; a different or upper-case one is a SHA mismatch', async () => {
    const hash = sha256(valid.apk);
    const plain = await canonicalizeAlpine(specOf(valid.apk, builder.publicKey), ctx);
    const hashed = await canonicalizeAlpine(specOf(valid.apk, builder.publicKey, hash), ctx);
    assert.deepEqual(hashed.body, plain.body);
    await expectError(specOf(valid.apk, builder.publicKey, hash.toUpperCase()), `SHA mismatch: ${hash} != ${hash.toUpperCase()}`);
    await expectError(specOf(valid.apk, builder.publicKey, 'a'.repeat(64)), `SHA mismatch: ${hash} != ${'a'.repeat(64)}`);
  });

  test('the wrong key (rekor test_alpine.pub, and another openssl key) fails verification', async () => {
    const other = readFileSync(testdataPath('artifacts', 'alpine', 'test_alpine.pub'));
    await expectError(specOf(valid.apk, other), 'crypto/rsa: verification error');
    await expectError(specOf(valid.apk, builder.keyPair('rsa').publicKey), 'crypto/rsa: verification error');
  });

  test('an altered control member (same signature) fails verification', async () => {
    const control = builder.controlMember(valid.pkginfo.replace('pkgver = 1.0-r0', 'pkgver = 9.9-r0'));
    await expectError(specOf(Buffer.concat([valid.signature, control, valid.data]), builder.publicKey), 'crypto/rsa: verification error');
  });

  test('altered data is caught by the datahash check', async () => {
    const data = builder.dataMember({ 'usr/bin/hello': '#!/bin/sh\necho evil\n' });
    await expectError(
      specOf(Buffer.concat([valid.signature, valid.control, data]), builder.publicKey),
      `checksum for data.tar.gz (${sha256(data)}) does not match value from .PKGINFO (${sha256(valid.data)})`,
    );
    await expectError(
      specOf(Buffer.concat([valid.signature, valid.control, valid.data, Buffer.from('x')]), builder.publicKey),
      /^checksum for data\.tar\.gz \([0-9a-f]{64}\) does not match value from \.PKGINFO/u,
    );
  });

  test('a package without a .SIGN member is refused', async () => {
    const unsigned = builder.build({ noSignature: true, signatureTarFiles: { README: 'not a signature\n' } });
    await expectError(specOf(unsigned.apk, builder.publicKey), 'no signature detected in alpine package');
    // No signature member at all: the control tar is read as the signature tar.
    await expectError(specOf(Buffer.concat([valid.control, valid.data]), builder.publicKey), 'no signature detected in alpine package');
  });

  test('truncated gzip members are refused with Go’s texts', async () => {
    const { signature, control } = valid;
    await expectError(specOf(Buffer.alloc(0), builder.publicKey), "'content' must be specified for package");
    await expectError(specOf(signature.subarray(0, 5), builder.publicKey), 'create gzip reader: unexpected EOF');
    await expectError(specOf(signature.subarray(0, 40), builder.publicKey), 'reading signature.tar.gz: unexpected EOF');
    await expectError(specOf(signature.subarray(0, signature.length - 3), builder.publicKey), 'reading signature.tar.gz: unexpected EOF');
    await expectError(specOf(Buffer.concat([signature, control.subarray(0, 6)]), builder.publicKey), 'resetting to control.tar.gz: unexpected EOF');
    await expectError(specOf(Buffer.concat([signature, control.subarray(0, 60)]), builder.publicKey), 'reading control.tar.gz: unexpected EOF');
    await expectError(specOf(signature, builder.publicKey), '.PKGINFO file was not located');
    await expectError(specOf(Buffer.from('not gzip at all'), builder.publicKey), 'create gzip reader: gzip: invalid header');
  });

  test('a corrupted CRC or deflate stream is refused', async () => {
    const crc = Buffer.from(valid.apk);
    crc.writeUInt8(crc.readUInt8(valid.signature.length - 8) ^ 0xff, valid.signature.length - 8);
    await expectError(specOf(crc, builder.publicKey), 'reading signature.tar.gz: gzip: invalid checksum');
    const deflate = Buffer.from(valid.apk);
    deflate[valid.signature.length + 10] = 0xff;
    await expectError(specOf(deflate, builder.publicKey), /^reading control\.tar\.gz: (flate: corrupt input|unexpected EOF|gzip: invalid checksum)/u);
  });

  test('PEM-armored signatures are read; the member name only needs the .SIGN prefix', async () => {
    const pem = builder.build({ pemSignature: true, signatureName: '.SIGN.RSA.other-key.rsa.pub' });
    checkBody(await canonicalizeAlpine(specOf(pem.apk, builder.publicKey), ctx));
  });

  test('as in Rekor, signatures are always checked with SHA-1, whatever the .SIGN name says', async () => {
    const sha1 = builder.build({ signatureName: '.SIGN.RSA256.test.rsa.pub' });
    checkBody(await canonicalizeAlpine(specOf(sha1.apk, builder.publicKey), ctx));
    const sha256Signed = builder.build({ signatureName: '.SIGN.RSA256.test.rsa.pub', digest: 'sha256' });
    await expectError(specOf(sha256Signed.apk, builder.publicKey), 'crypto/rsa: verification error');
  });

  test('tars that keep their end-of-archive blocks and record padding are read too', async () => {
    const signatureTar = Buffer.concat([cutTar(gunzipSync(valid.signature)), Buffer.alloc(9 * 1024)]);
    checkBody(await canonicalizeAlpine(specOf(Buffer.concat([gzip(signatureTar), valid.control, valid.data]), builder.publicKey), ctx));
    // As in Go's archive/tar, whatever follows two zero blocks is ignored; one zero block must
    // be followed by another.
    const cut = cutTar(gunzipSync(valid.signature));
    const withSignature = (tar: Buffer) => specOf(Buffer.concat([gzip(tar), valid.control, valid.data]), builder.publicKey);
    checkBody(await canonicalizeAlpine(withSignature(Buffer.concat([cut, Buffer.alloc(1024), Buffer.alloc(1024, 'junk')])), ctx));
    await expectError(withSignature(Buffer.concat([cut, Buffer.alloc(512), Buffer.alloc(512, 'junk')])), 'getting next entry in tar archive: archive/tar: invalid tar header');
    await expectError(withSignature(Buffer.concat([cut, Buffer.alloc(700)])), 'getting next entry in tar archive: unexpected EOF');
    await expectError(withSignature(Buffer.concat([cut, Buffer.alloc(100, 'junk')])), 'getting next entry in tar archive: unexpected EOF');
    const control = gzip(Buffer.concat([cutTar(gunzipSync(valid.control)), Buffer.alloc(1024)]));
    const signature = builder.signatureMember(control);
    checkBody(await canonicalizeAlpine(specOf(Buffer.concat([signature, control, valid.data]), builder.publicKey), ctx));
  });

  test('the first .SIGN member is the one verified', async () => {
    const parts = builder.build();
    const bad = builder.signatureMember(parts.control, { signatureName: '.SIGN.RSA.a.rsa.pub', signingKey: builder.keyPair('rsa').privateKey });
    // A tar holding a bad signature first and the good one second: Rekor keeps the first.
    const badTar = cutTar(gunzipSync(bad));
    const goodTar = cutTar(gunzipSync(parts.signature));
    const both = gzip(Buffer.concat([badTar, goodTar]));
    await expectError(specOf(Buffer.concat([both, parts.control, parts.data]), builder.publicKey), 'crypto/rsa: verification error');
    const reversed = gzip(Buffer.concat([goodTar, badTar]));
    checkBody(await canonicalizeAlpine(specOf(Buffer.concat([reversed, parts.control, parts.data]), builder.publicKey), ctx));
  });

  test('ECDSA keys verify the SHA-1 digest (sigstore’s unsafe verifier); Ed25519 keys never verify', async () => {
    const ec = builder.keyPair('ec');
    const ecApk = builder.build({ signingKey: ec.privateKey });
    checkBody(await canonicalizeAlpine(specOf(ecApk.apk, ec.publicKey), ctx));
    // A 256-byte RSA signature is neither DER nor a P-256 r||s pair.
    await expectError(specOf(valid.apk, ec.publicKey), 'ecdsa: Invalid IEEE_P1363 encoded bytes');
    const otherEc = builder.keyPair('ec');
    await expectError(specOf(ecApk.apk, otherEc.publicKey), 'invalid signature when validating ASN.1 encoded signature');
    const ed = builder.keyPair('ed25519');
    await expectError(specOf(valid.apk, ed.publicKey), 'message cannot be nil');
  });

  test('.SIGN and .PKGINFO larger than max_apk_metadata_size are refused; 0 lifts the limit', async () => {
    const big = builder.build({ pkginfo: (h) => `${abuildPkginfo(h)}pkgdesc = ${'x'.repeat(3000)}\n` });
    const limited = defaultTypeContext({ limits: { maxApkMetadataSize: 2048 } });
    await expectError(specOf(big.apk, builder.publicKey), `uncompressed .PKGINFO file size ${Buffer.byteLength(big.pkginfo)} exceeds max allowed size 2048`, limited);
    const entry = await canonicalizeAlpine(specOf(big.apk, builder.publicKey), defaultTypeContext({ limits: { maxApkMetadataSize: 0 } }));
    assert.equal(checkBody(entry).package.pkginfo['pkgdesc'], 'x'.repeat(3000));
    // The signature member (a 512-byte header and the 256-byte signature, padded) inflates to 1024 bytes.
    await expectError(specOf(valid.apk, builder.publicKey), 'decompressed size (1024) for signature.tar.gz exceeds max allowed size 1023', defaultTypeContext({ limits: { maxApkMetadataSize: 1023 } }));
    checkBody(await canonicalizeAlpine(specOf(valid.apk, builder.publicKey), defaultTypeContext({ limits: { maxApkMetadataSize: 1024 } })));
    // A .SIGN header claiming more than the limit is refused before anything is read.
    const signatureTar = setTarSize(gunzipSync(valid.signature), 0o77777777777);
    await expectError(specOf(Buffer.concat([gzip(signatureTar), valid.control, valid.data]), builder.publicKey), 'uncompressed .SIGN file size 8589934591 exceeds max allowed size 1048576');
  });

  test('.PKGINFO problems: missing datahash, bad hex, go-ini syntax errors', async () => {
    const noHash = builder.build({ pkginfo: () => 'pkgname = x\n' });
    await expectError(specOf(noHash.apk, builder.publicKey), `checksum for data.tar.gz (${sha256(noHash.data)}) does not match value from .PKGINFO ()`);
    const badHex = builder.build({ pkginfo: () => 'datahash = zz\n' });
    await expectError(specOf(badHex.apk, builder.publicKey), "parsing datahash: encoding/hex: invalid byte: U+007A 'z'");
    const syntax = builder.build({ pkginfo: (h) => `datahash = ${h}\nnot a key value line\n` });
    await expectError(specOf(syntax.apk, builder.publicKey), 'parsing .PKGINFO: key-value delimiter not found: not a key value line\n');
    // Upper-case datahash hex decodes to the same bytes, as with Go's hex decoder.
    const upper = builder.build({ pkginfo: (h) => `datahash = ${h.toUpperCase()}\n` });
    const entry = await canonicalizeAlpine(specOf(upper.apk, builder.publicKey), ctx);
    assert.deepEqual(checkBody(entry).package.pkginfo, { datahash: sha256(upper.data).toUpperCase() });
  });

  test('spec shape errors carry Rekor’s texts', async () => {
    const key = b64(builder.publicKey);
    const content = b64(valid.apk);
    await expectError('x', 'unsupported input type string for DecodeEntry');
    await expectError({}, 'validation failure list:\npublicKey in body is required\npackage in body is required');
    await expectError({ publicKey: { content: '' }, package: { content } }, 'validation failure list:\npublicKey in body is required');
    await expectError({ publicKey: { content: key } }, 'validation failure list:\npackage in body is required');
    await expectError({ publicKey: { content: '!!' }, package: { content } }, /^failed parsing base64 data for public key content: /u);
    await expectError({ publicKey: { content: key }, package: { content: '!!' } }, /^failed parsing base64 data for package content: /u);
    await expectError({ publicKey: { content: key }, package: { content, hash: { value: 'x' } } }, 'validation failure list:\npackage.package.hash.package.hash.algorithm in body is required');
    await expectError({ publicKey: { content: key }, package: { content, hash: { algorithm: 'sha1', value: 'x' } } }, 'validation failure list:\npackage.package.hash.package.hash.algorithm in body should be one of [sha256]');
    await expectError({ publicKey: { content: key }, package: { content, hash: { algorithm: 'sha256' } } }, 'validation failure list:\npackage.package.hash.package.hash.value in body is required');
    await expectError({ publicKey: { content: key }, package: { content, hash: { algorithm: 'sha256', value: 'abc' } } }, 'invalid value for hash');
    await expectError({ publicKey: { content: key }, package: {} }, "'content' must be specified for package");
    await expectError({ publicKey: { content: key }, package: { hash: { algorithm: 'sha256', value: sha256(valid.apk) } } }, 'entry not insertable into log: missing package content');
    await expectError({ publicKey: { content: key }, package: { url: 'https://example.org/x.apk' } }, 'package.url: fetching URLs is not enabled on this server; submit the content inline');
    await expectError({ publicKey: { url: 'https://example.org/k.pub' }, package: { content } }, 'publicKey.url: fetching URLs is not enabled on this server; submit the content inline');
    await expectError({ publicKey: { content: b64('not a key') }, package: { content } }, 'invalid public key: failure decoding PEM');
  });

  test('read-only pkginfo in the proposal is ignored; the server derives it', async () => {
    const spec = specOf(valid.apk, builder.publicKey);
    (spec['package'] as Record<string, unknown>)['pkginfo'] = { pkgname: 'forged' };
    const entry = await canonicalizeAlpine(spec, ctx);
    assert.equal(checkBody(entry).package.pkginfo['pkgname'], 'hello');
  });
});

