import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import * as pkijs from 'pkijs';
import { isRekorError } from '../../errors.js';
import { testdataPath } from '../../../test/testdata.js';
import { decodePem, encodePem } from '../pem.js';
import { canonicalPkcs7Signature, parseSignedData, pkcs7PublicKey, readPkcs7, verifyOptionalTimestamp, verifySignedData, verifyTimestampToken } from './index.js';
import { attributeValue } from './signed-data.js';
import { rejects } from './testonly.js';
import { byteOp, mutateBytes } from '../../fuzz-testonly.js';

// Rekor's own fixture (pkg/pki/pkcs7/testdata): a JAR .SF signed by a Fulcio certificate with
// ECDSA, content embedded, no signed attributes, an RFC 3161 timestamp as unsigned attribute.
const pem = readFileSync(testdataPath('artifacts', 'pkcs7', 'sig.pkcs7.pem'));
const der = (decodePem(pem).block?.bytes ?? new Uint8Array()) as Uint8Array;

describe('pkcs7: Rekor fixture', () => {
  const sd = readPkcs7(pem);
  const content = sd.content as Uint8Array;

  test('parses PEM and DER alike; embedded content, bundle and signer', () => {
    assert.deepEqual(readPkcs7(der).detached, sd.detached);
    assert.match(Buffer.from(content).toString('latin1'), /^Signature-Version: 1\.0\r\n/u);
    assert.equal(sd.certificates.length, 2);
    assert.equal(sd.signerInfos.length, 1);
    const [signer] = verifySignedData(sd, undefined);
    assert.equal(signer?.hash, 'sha256');
    // The signer is the second certificate; Rekor's "public key" is the first (the root).
    assert.deepEqual(signer?.certificate.der, sd.certificates[1]);
    assert.deepEqual(pkcs7PublicKey(sd).certificate.der, sd.certificates[0]);
    assert.equal(Buffer.from(pkcs7PublicKey(sd).canonical).toString(), encodePem('CERTIFICATE', sd.certificates[0] as Uint8Array));
  });

  test('pkijs reads the same bundle, signer and content', () => {
    const info = pkijs.ContentInfo.fromBER(der);
    const signed = new pkijs.SignedData({ schema: info.content });
    const certs = (signed.certificates ?? []).map((c) => Buffer.from((c as pkijs.Certificate).toSchema().toBER(false)));
    assert.deepEqual(certs, sd.certificates.map((c) => Buffer.from(c)));
    const sid = signed.signerInfos[0]?.sid as pkijs.IssuerAndSerialNumber;
    assert.deepEqual(Buffer.from(sid.serialNumber.valueBlock.valueHexView), Buffer.from(sd.signerInfos[0]?.serial ?? []));
    const econtent = signed.encapContentInfo.eContent?.getValue();
    assert.deepEqual(Buffer.from(econtent ?? new ArrayBuffer(0)), Buffer.from(content));
  });

  test('the canonical form is detached, keeps everything else, and openssl verifies it', () => {
    const detached = readPkcs7(canonicalPkcs7Signature(sd));
    assert.equal(detached.content, undefined);
    assert.deepEqual(detached.certificates, sd.certificates);
    assert.deepEqual(detached.signerInfos.map((s) => s.raw), sd.signerInfos.map((s) => s.raw));
    // Only the content went: its OCTET STRING and [0] headers (4 bytes each), and the ContentInfo
    // SEQUENCE header shrinks from 4 to 2 bytes; the outer lengths keep their sizes here.
    assert.equal(der.length - detached.detached.length, content.length + 4 + 4 + 2);
    assert.deepEqual(Buffer.from(canonicalPkcs7Signature(detached)), Buffer.from(canonicalPkcs7Signature(sd)), 'idempotent');
    verifySignedData(detached, content);
    const dir = mkdtempSync(join(tmpdir(), 'pkcs7-test-'));
    try {
      writeFileSync(join(dir, 'sig.der'), detached.detached);
      writeFileSync(join(dir, 'content'), content);
      execFileSync('openssl', ['cms', '-verify', '-noverify', '-binary', '-inform', 'DER', '-in', join(dir, 'sig.der'), '-content', join(dir, 'content'), '-out', '/dev/null'], { stdio: 'pipe' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('wrong or missing content, wrong PEM type, garbage', () => {
    const detached = readPkcs7(sd.detached);
    rejects(() => verifySignedData(detached, Buffer.from('something else')), 'ECDSA verification failed');
    rejects(() => verifySignedData(detached, undefined), 'pkcs7: missing content');
    rejects(() => verifySignedData(sd, Buffer.from('x')), 'pkcs7: internal and external content were both provided but are not equal');
    rejects(() => readPkcs7(Buffer.from(encodePem('CERTIFICATE', der))), 'unknown PEM block type CERTIFICATE found during PKCS7 parsing');
    rejects(() => readPkcs7(Buffer.concat([der, Buffer.from([1])])), 'pkcs7: trailing garbage after PKCS#7 structure');
    assert.deepEqual(readPkcs7(Buffer.concat([der, Buffer.alloc(3)])).detached, sd.detached, 'zero padding is tolerated, as relic does');
    rejects(() => readPkcs7(der.subarray(0, 100)), /^asn1: /u);
    const noCerts = { ...detached, certificates: [] };
    rejects(() => pkcs7PublicKey(noCerts), 'unable to extract public key from certificate inside PKCS7 bundle');
    rejects(() => verifySignedData(noCerts, content), /^certificate missing from signedData: serial=d21ab55e38b011281e14174008b73ff1dc4dfe issuer: CN=sigstore, O=sigstore\.dev$/u);
  });

  test('its RFC 3161 timestamp token verifies over the signature value', () => {
    const si = sd.signerInfos[0] as (typeof sd.signerInfos)[number];
    assert.deepEqual(verifyOptionalTimestamp(si, sd), { kind: 'timestamp-token', signingTime: new Date('2021-04-05T17:30:41Z') });
    const token = attributeValue(si.unauthenticatedAttributes, '1.2.840.113549.1.9.16.2.14', parseSignedData);
    assert.ok(token !== undefined);
    rejects(() => verifyTimestampToken(token, Buffer.from('another signature')), 'verifying timestamp imprint: pkcs9: digest check failed');
    const noToken = { ...si, unauthenticatedAttributes: undefined };
    assert.equal(verifyOptionalTimestamp(noToken, sd), undefined);
    const tamperedSignature = Buffer.from(si.signature);
    tamperedSignature[10] = (tamperedSignature[10] as number) ^ 1;
    rejects(() => verifyOptionalTimestamp({ ...si, signature: tamperedSignature }, sd), 'verifying timestamp imprint: pkcs9: digest check failed');
  });

  test('mutated DER fails only with RekorError(invalid_entry)', () => {
    fc.assert(
      fc.property(fc.array(byteOp, { minLength: 1, maxLength: 4 }), (ops) => {
        const bytes = mutateBytes(der, ops);
        try {
          const parsed = readPkcs7(bytes);
          canonicalPkcs7Signature(parsed);
          for (const signer of verifySignedData(parsed, content)) verifyOptionalTimestamp(signer.signerInfo, parsed);
          pkcs7PublicKey(parsed);
        } catch (err) {
          assert.ok(isRekorError(err, 'invalid_entry'), `unexpected ${err instanceof Error ? err.stack : String(err)}`);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
