import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { encodeTlv, Tag } from '../../../pki/der.js';
import { elementAt, flipByte, OpensslWorkspace, replaceBytes, type Signer } from '../../../pki/pkcs7/testonly.js';
import { readIndex, repoRoot, testdataPath } from '../../../../test/testdata.js';
import { defaultTypeContext, type CanonicalEntry } from '../../types.js';
import { canonicalizeRfc3161 } from './entry.js';
import { invalidEntryWith } from '../../../fuzz-testonly.js';

const ctx = defaultTypeContext();
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const specOf = (tsr: Uint8Array) => ({ tsr: { content: b64(tsr) } });

const schema = JSON.parse(readFileSync(join(repoRoot, 'src/types/rfc3161/v0.0.1/rfc3161_v0_0_1_schema.json'), 'utf8')) as object;
const validateSpecSchema = new Ajv({ strict: false, validateFormats: false }).compile(schema);

async function expectError(spec: unknown, want: string | RegExp, c = ctx): Promise<void> {
  await assert.rejects(canonicalizeRfc3161(spec, c), invalidEntryWith(want));
}

/** The body Rekor stores: the submitted DER re-encoded as padded standard base64, nothing else. */
function checkEntry(entry: CanonicalEntry, tsr: Uint8Array): void {
  const expected = `{"apiVersion":"0.0.1","kind":"rfc3161","spec":{"tsr":{"content":"${b64(tsr)}"}}}`;
  assert.equal(Buffer.from(entry.body).toString('utf8'), expected);
  assert.equal(Buffer.from(entry.leafHash).toString('hex'), createHash('sha256').update(Buffer.concat([Buffer.of(0), Buffer.from(expected)])).digest('hex'));
  assert.deepEqual(entry.indexKeys, [`sha256:${sha256(tsr)}`]);
  assert.equal(entry.kind, 'rfc3161');
  assert.equal(entry.apiVersion, '0.0.1');
  assert.ok(validateSpecSchema((JSON.parse(expected) as { spec: unknown }).spec), JSON.stringify(validateSpecSchema.errors));
}

describe('rfc3161 0.0.1: shared fixtures', () => {
  const A = (name: string) => readFileSync(testdataPath('artifacts', 'rfc3161', name));

  test("Rekor's own test.tsr: accepted, its ArtifactHash is the index key", async () => {
    const tsr = A('rekor-test.tsr');
    const entry = await canonicalizeRfc3161(specOf(tsr), ctx);
    checkEntry(entry, tsr);
    // pkg/types/rfc3161/v0.0.1/entry_test.go expects this ArtifactHash for the same file.
    assert.deepEqual(entry.indexKeys, ['sha256:6dbda791c778454d0baa96e1dec5fa2c50867fd22d119ebe75c60c513b254c91']);
  });

  for (const name of ['java-freetsa_response.tsr', 'java-sigstore_tsa_response_with_embedded_certs.tsr']) {
    test(`${name}: accepted (RSA and ECDSA production TSAs)`, async () => {
      const tsr = A(name);
      checkEntry(await canonicalizeRfc3161(specOf(tsr), ctx), tsr);
    });
  }

  test('a valid response without embedded certificates is refused: Rekor has no other key to check it with', async () => {
    await expectError(
      specOf(A('java-sigstore_tsa_response_without_embedded_certs.tsr')),
      'tsr verification error: certificate missing from signedData: serial=3a13542f0c9061eebcc1432fcb8a8e8b2a238b0c issuer: CN=sigstore-tsa-selfsigned, O=sigstore.dev',
    );
  });

  test('the malformed sigstore-java response is refused by the ASN.1 decoder', async () => {
    // Its TSTInfo OCTET STRING states a short length, so Go's reader, taking SignedData's fields
    // in order, meets the rest of the TSTInfo (a BIT STRING) where the SignerInfos SET belongs.
    await expectError(specOf(A('java-sigstore_tsa_response_invalid.tsr')), /^asn1: structure error: tags don't match/u);
  });

  test('INDEX verdicts hold, apart from the certificate-less response', async () => {
    const records = readIndex().filter((r) => r.kind === 'rfc3161-timestamp-response');
    assert.equal(records.length, 5);
    for (const record of records) {
      const tsr = readFileSync(testdataPath(record.file));
      const accepted = await canonicalizeRfc3161(specOf(tsr), ctx).then(
        () => true,
        () => false,
      );
      const expected = record.expected === 'valid' && !record.file.includes('without_embedded_certs');
      assert.equal(accepted, expected, record.file);
    }
  });
});

describe('rfc3161 0.0.1: responses made by openssl ts', () => {
  let ws: OpensslWorkspace;
  let rsa: Signer;
  let ec: Signer;
  before(() => {
    ws = new OpensslWorkspace();
    rsa = ws.signer('rsa');
    ec = ws.signer('ec-p256');
  });
  after(() => ws.dispose());

  const accepted: Array<{ name: string; key: () => Signer; embedCert: boolean; signerDigest?: 'sha256' | 'sha384' | 'sha512' | 'sha1'; imprintDigest?: 'sha384' | 'sha512' }> = [
    { name: 'RSA, certificate embedded', key: () => rsa, embedCert: true },
    { name: 'ECDSA P-256, certificate embedded', key: () => ec, embedCert: true },
    { name: 'RSA, SHA-512 signer digest, SHA-384 imprint', key: () => rsa, embedCert: true, signerDigest: 'sha512', imprintDigest: 'sha384' },
    { name: 'ECDSA P-256, SHA-384 signer digest', key: () => ec, embedCert: true, signerDigest: 'sha384' },
    { name: 'RSA, SHA-1 signer digest (Rekor accepts it)', key: () => rsa, embedCert: true, signerDigest: 'sha1' },
  ];
  for (const c of accepted) {
    test(`valid: ${c.name}`, async () => {
      const opts = { embedCert: c.embedCert, ...(c.signerDigest ? { signerDigest: c.signerDigest } : {}), ...(c.imprintDigest ? { imprintDigest: c.imprintDigest } : {}) };
      const tsr = ws.timestamp(c.key(), opts);
      checkEntry(await canonicalizeRfc3161(specOf(tsr), ctx), tsr);
    });
  }

  test('valid: P-384 and P-521 TSAs', async () => {
    for (const type of ['ec-p384', 'ec-p521'] as const) {
      const tsr = ws.timestamp(ws.signer(type), { signerDigest: 'sha512' });
      checkEntry(await canonicalizeRfc3161(specOf(tsr), ctx), tsr);
    }
  });

  test('base64 with line breaks is read as Go reads it and stored without them', async () => {
    const tsr = ws.timestamp(ec);
    const wrapped = b64(tsr).replace(/(.{64})/gu, '$1\n');
    checkEntry(await canonicalizeRfc3161({ tsr: { content: wrapped } }, ctx), tsr);
  });

  test('no certificate requested: refused, naming the missing signer', async () => {
    await expectError(
      specOf(ws.timestamp(rsa, { embedCert: false })),
      'tsr verification error: certificate missing from signedData: serial=1001 issuer: O=rekor-ts, CN=rekor-ts test TSA',
    );
  });

  test('status rejection (imprint digest the TSA does not accept)', async () => {
    await expectError(specOf(ws.timestamp(rsa, { imprintDigest: 'sha1' })), 'tsr status not granted: 2');
  });

  // TimeStampResp → token ContentInfo → [0] → SignedData → encapContentInfo → [0] → OCTET STRING.
  const TST_INFO = [1, 1, 0, 2, 1, 0];

  test('tampered TSTInfo: the signed message digest no longer matches', async () => {
    for (const signer of [rsa, ec]) {
      const tsr = ws.timestamp(signer);
      const { node, offset } = elementAt(tsr, TST_INFO);
      // The last byte of the TSTInfo (inside the TSA name) keeps the DER well-formed.
      await expectError(specOf(flipByte(tsr, offset + node.raw.length - 1)), 'tsr verification error: pkcs7: content digest does not match');
    }
  });

  test('tampered signed attributes or signature: the signature fails', async () => {
    const cases: Array<[Signer, RegExp]> = [
      [rsa, /^tsr verification error: crypto\/rsa: verification error$/u],
      [ec, /^tsr verification error: (ECDSA verification failed|invalid ECDSA signature)$/u],
    ];
    for (const [signer, want] of cases) {
      const tsr = ws.timestamp(signer);
      const signedData = elementAt(tsr, [1, 1, 0]).node;
      const signerInfoPath = [1, 1, 0, signedData.childCount - 1, 0];
      const attrs = elementAt(tsr, [...signerInfoPath, 3]);
      await expectError(specOf(flipByte(tsr, attrs.offset + attrs.node.raw.length - 1)), want);
      const sig = elementAt(tsr, [...signerInfoPath, 5]);
      await expectError(specOf(flipByte(tsr, sig.offset + sig.node.raw.length - 1)), want);
    }
  });

  test('wrong embedded certificate: same issuer and serial, another key', async () => {
    const other = ws.signer('rsa');
    const tsr = ws.timestamp(rsa);
    assert.equal(other.certDer.length, rsa.certDer.length);
    await expectError(specOf(replaceBytes(tsr, rsa.certDer, other.certDer)), 'tsr verification error: crypto/rsa: verification error');
  });

  test('wrong embedded certificate: another serial, so the signer is missing', async () => {
    // RSA-2048 certificates differing only in key and serial value have the same length.
    const other = ws.signer('rsa', '0x1002');
    const tsr = ws.timestamp(rsa);
    assert.equal(other.certDer.length, rsa.certDer.length);
    await expectError(
      specOf(replaceBytes(tsr, rsa.certDer, other.certDer)),
      'tsr verification error: certificate missing from signedData: serial=1001 issuer: O=rekor-ts, CN=rekor-ts test TSA',
    );
  });

  test('wrong content type in the token', async () => {
    const tsr = ws.timestamp(rsa);
    const signedDataOid = Buffer.from('06092a864886f70d010702', 'hex');
    const dataOid = Buffer.from('06092a864886f70d010701', 'hex');
    await expectError(specOf(replaceBytes(tsr, signedDataOid, dataOid)), 'tsr wrong content type: 1.2.840.113549.1.7.1');
  });

  test('truncated DER at many lengths: a clear asn1 error, never anything else', async () => {
    const tsr = ws.timestamp(ec);
    for (const length of [0, 1, 2, 10, 100, Math.floor(tsr.length / 2), tsr.length - 1]) {
      if (length === 0) {
        await expectError(specOf(tsr.subarray(0, 0)), 'validation failure list:\ntsr.tsr.content in body is required');
      } else {
        await expectError(specOf(tsr.subarray(0, length)), /^asn1: (syntax|structure) error: /u);
      }
    }
  });

  test('bytes after the response are ignored (Go ignores asn1.Unmarshal rest) and stored', async () => {
    const tsr = Buffer.concat([ws.timestamp(rsa), Buffer.from('trailing')]);
    checkEntry(await canonicalizeRfc3161(specOf(tsr), ctx), tsr);
  });

  test('oversize: Rekor caps the response at 10 KiB; the cap is a TypeLimits setting', async () => {
    await expectError(specOf(Buffer.alloc(10 * 1024 + 1, 1)), 'tsr exceeds maximum allowed size (10kB)');
    const tsr = ws.timestamp(rsa);
    const small = defaultTypeContext({ limits: { maxTimestampResponseSize: tsr.length - 1 } });
    await expectError(specOf(tsr), `tsr exceeds maximum allowed size (${tsr.length - 1} bytes)`, small);
    checkEntry(await canonicalizeRfc3161(specOf(tsr), defaultTypeContext({ limits: { maxTimestampResponseSize: tsr.length } })), tsr);
  });
});

describe('rfc3161 0.0.1: reading the response as Go and relic do', () => {
  let ws: OpensslWorkspace;
  let tsr: Buffer;
  before(() => {
    ws = new OpensslWorkspace();
    tsr = ws.timestamp(ws.signer('ec-p256'));
  });
  after(() => ws.dispose());

  const status = (value: number) => encodeTlv(Tag.SEQUENCE, encodeTlv(Tag.INTEGER, Uint8Array.of(value)));
  const signedDataOid = encodeTlv(Tag.OID, Buffer.from('2a864886f70d010702', 'hex'));

  test('the status is not signed: grantedWithMods is accepted, waiting (3) refused', async () => {
    // TimeStampResp SEQUENCE header (4 bytes), PKIStatusInfo SEQUENCE (2), INTEGER tag and length (2).
    assert.deepEqual([...tsr.subarray(4, 9)], [0x30, 0x03, 0x02, 0x01, 0x00]);
    const withMods = flipByte(tsr, 8, 0x01);
    checkEntry(await canonicalizeRfc3161(specOf(withMods), ctx), withMods);
    await expectError(specOf(flipByte(tsr, 8, 0x03)), 'tsr status not granted: 3');
  });

  test('like Rekor, the encapsulated content type is not checked (only hashed and signed over)', async () => {
    const tstInfo = encodeTlv(Tag.OID, Buffer.from('2a864886f70d0109100104', 'hex'));
    const other = encodeTlv(Tag.OID, Buffer.from('2a864886f70d0109100105', 'hex'));
    // The first occurrence is the EncapsulatedContentInfo's; the signed contentType attribute comes later.
    const relabelled = replaceBytes(tsr, tstInfo, other);
    checkEntry(await canonicalizeRfc3161(specOf(relabelled), ctx), relabelled);
  });

  test('granted without a token: the content type is empty', async () => {
    await expectError(specOf(encodeTlv(Tag.SEQUENCE, status(0))), 'tsr wrong content type: ');
    // An element that is not a SEQUENCE where the token belongs is skipped (OPTIONAL), as in Go.
    await expectError(specOf(encodeTlv(Tag.SEQUENCE, status(0), encodeTlv(Tag.INTEGER, Uint8Array.of(1)))), 'tsr wrong content type: ');
  });

  test('a SignedData token without content: missing content', async () => {
    await expectError(specOf(encodeTlv(Tag.SEQUENCE, status(0), encodeTlv(Tag.SEQUENCE, signedDataOid))), 'tsr verification error: pkcs7: missing content');
    // An empty explicit [0] is a decoding error in Go's encoding/asn1, before any verification.
    const emptyExplicit = encodeTlv(Tag.SEQUENCE, signedDataOid, encodeTlv(0xa0));
    await expectError(specOf(encodeTlv(Tag.SEQUENCE, status(0), emptyExplicit)), 'asn1: structure error: explicit tag has no child');
  });

  test('status text and failure bits are read with Go\'s rules', async () => {
    const text = (tag: number, value: string) => encodeTlv(tag, Buffer.from(value, 'latin1'));
    const info = (...members: Uint8Array[]) => encodeTlv(Tag.SEQUENCE, encodeTlv(Tag.SEQUENCE, encodeTlv(Tag.INTEGER, Uint8Array.of(2)), ...members));
    await expectError(specOf(info(encodeTlv(Tag.SEQUENCE, text(0x0c, 'bad alg')), encodeTlv(Tag.BIT_STRING, Uint8Array.of(7, 0x80)))), 'tsr status not granted: 2');
    await expectError(specOf(info(encodeTlv(Tag.SEQUENCE, text(0x13, 'not_printable')))), /^asn1: structure error: /u);
    await expectError(specOf(info(encodeTlv(Tag.SEQUENCE, text(0x0c, '\xff')))), /^asn1: structure error: /u);
    await expectError(specOf(info(encodeTlv(Tag.BIT_STRING, Uint8Array.of(1, 0x01)))), 'asn1: structure error: invalid padding bits in BIT STRING');
    await expectError(specOf(encodeTlv(Tag.SEQUENCE, encodeTlv(Tag.SEQUENCE, encodeTlv(Tag.INTEGER, Uint8Array.of(0, 0))))), /^asn1: structure error: integer not minimally-encoded/u);
  });
});

describe('rfc3161 0.0.1: spec validation', () => {
  const cases: Array<{ name: string; spec: unknown; want: string | RegExp }> = [
    { name: 'not an object', spec: 'x', want: 'unsupported input type string for DecodeEntry' },
    { name: 'null', spec: null, want: 'unsupported input type <nil> for DecodeEntry' },
    { name: 'no tsr', spec: {}, want: 'validation failure list:\ntsr in body is required' },
    { name: 'tsr not an object', spec: { tsr: 'abc' }, want: 'validation failure list:\ntsr in body is required' },
    { name: 'no content', spec: { tsr: {} }, want: 'validation failure list:\ntsr.tsr.content in body is required' },
    { name: 'content not a string', spec: { tsr: { content: 5 } }, want: 'validation failure list:\ntsr.tsr.content in body is required' },
    { name: 'bad base64', spec: { tsr: { content: 'AAA*' } }, want: 'failed parsing base64 data for tsr content: illegal base64 data at input byte 3' },
    { name: 'not DER', spec: { tsr: { content: b64(Buffer.from('hello')) } }, want: /^asn1: syntax error: /u },
  ];
  for (const c of cases) {
    test(c.name, async () => expectError(c.spec, c.want));
  }
});
