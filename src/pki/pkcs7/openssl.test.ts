import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { encodeTlv, Tag } from '../der.js';
import { parseContentInfo, verifySignedData as verifyAll, type SignedData } from './index.js';
import { formatName } from './name.js';
import { OpensslWorkspace, rejects, replaceBytes, type Signer } from './testonly.js';

const DATA = Buffer.from('rekor-ts pkcs7 test content\n');

function signedData(der: Uint8Array): SignedData {
  const ci = parseContentInfo(der);
  assert.equal(ci.contentType, '1.2.840.113549.1.7.2');
  assert.ok(ci.signedData !== undefined);
  return ci.signedData;
}

/** Every signer must verify; relic returns the last one's certificate. */
function verifySignedData(sd: SignedData, external?: Uint8Array): { signer: { der: Uint8Array } } {
  const signers = verifyAll(sd, external);
  const last = signers[signers.length - 1];
  assert.ok(last !== undefined);
  return { signer: last.certificate };
}

describe('pki/pkcs7: SignedData made by openssl cms', () => {
  let ws: OpensslWorkspace;
  let rsa: Signer;
  let ec: Signer;
  before(() => {
    ws = new OpensslWorkspace();
    rsa = ws.signer('rsa', '0x2a', '/CN=signer, with comma/O=rekor-ts');
    ec = ws.signer('ec-p256');
  });
  after(() => ws.dispose());

  test('attached, with and without signed attributes, several digests: verifies; the signer is the embedded certificate', () => {
    for (const signer of [rsa, ec]) {
      const digests = signer === rsa ? [{ digest: 'sha1' }, { digest: 'sha224' }, { digest: 'sha512' }] : [{ digest: 'sha1' }, { digest: 'sha384' }, { digest: 'sha512' }];
      for (const opts of [{}, { noAttributes: true }, ...digests]) {
        const sd = signedData(ws.cmsSign(signer, DATA, opts));
        assert.deepEqual(Buffer.from(sd.content ?? []), DATA);
        assert.equal(sd.signerInfos[0]?.authenticatedAttributes === undefined, 'noAttributes' in opts);
        const result = verifySignedData(sd);
        assert.deepEqual(Buffer.from(result.signer.der), signer.certDer, JSON.stringify(opts));
      }
    }
  });

  test('ecdsa-with-SHA224 is not in relic\'s table, so Rekor refuses it', () => {
    rejects(() => verifySignedData(signedData(ws.cmsSign(ec, DATA, { digest: 'sha224' }))), 'unsupported public key algorithm');
  });

  test('RSA-PSS: verified with the salt length the parameters state, and relic quirks kept', () => {
    for (const [digest, salt] of [['sha256', 'digest'], ['sha512', 'max']] as const) {
      const sd = signedData(ws.cmsSign(rsa, DATA, { digest, pssSaltLength: salt }));
      assert.equal(sd.signerInfos[0]?.signatureAlgorithm.algorithm, '1.2.840.113549.1.1.10');
      assert.deepEqual(Buffer.from(verifySignedData(sd).signer.der), rsa.certDer, `${digest} salt ${salt}`);
    }
    // The salt length is part of the check: a different stated length fails.
    const der = ws.cmsSign(rsa, DATA, { digest: 'sha256', pssSaltLength: 'digest' });
    rejects(() => verifySignedData(signedData(replaceBytes(der, Buffer.from('a203020120', 'hex'), Buffer.from('a203020121', 'hex')))), 'crypto/rsa: verification error');
    // DER leaves out a salt length of 20 (the default); relic's struct requires the field.
    rejects(() => verifySignedData(signedData(ws.cmsSign(rsa, DATA, { digest: 'sha256', pssSaltLength: '20' }))), 'invalid RSA-PSS parameters');
    // relic reads a stated salt length of 0 as "the digest size", so a salt-less signature fails.
    rejects(() => verifySignedData(signedData(ws.cmsSign(rsa, DATA, { digest: 'sha384', pssSaltLength: '0' }))), 'crypto/rsa: verification error');
  });

  test('detached: needs the external content, which must match', () => {
    const sd = signedData(ws.cmsSign(ec, DATA, { detached: true }));
    assert.equal(sd.content, undefined);
    rejects(() => verifySignedData(sd), 'pkcs7: missing content');
    assert.deepEqual(Buffer.from(verifySignedData(sd, DATA).signer.der), ec.certDer);
    rejects(() => verifySignedData(sd, Buffer.from('other')), 'pkcs7: content digest does not match');
    const noAttrs = signedData(ws.cmsSign(rsa, DATA, { detached: true, noAttributes: true }));
    verifySignedData(noAttrs, DATA);
    rejects(() => verifySignedData(noAttrs, Buffer.from('other')), 'crypto/rsa: verification error');
  });

  test('attached content and a different external content', () => {
    const sd = signedData(ws.cmsSign(ec, DATA));
    rejects(() => verifySignedData(sd, Buffer.from('other')), 'pkcs7: internal and external content were both provided but are not equal');
    verifySignedData(sd, DATA);
  });

  test('an unknown digest algorithm is named', () => {
    const der = ws.cmsSign(ec, DATA, { noAttributes: true });
    const sha256 = Buffer.from('0609608648016503040201', 'hex');
    const unknown = Buffer.from('060960864801650304027f', 'hex');
    // Both the SignedData digest set and the SignerInfo name SHA-256; change every occurrence.
    let mutated: Buffer = Buffer.from(der);
    while (mutated.includes(sha256)) mutated = replaceBytes(mutated, sha256, unknown);
    rejects(() => verifySignedData(signedData(mutated)), 'pkcs7: unsupported hash algorithm 2.16.840.1.101.3.4.2.127');
  });

  test('a signer whose certificate is not embedded is reported with its issuer in LDAP form', () => {
    const der = ws.cmsSign(rsa, DATA);
    const sd = signedData(der);
    rejects(() => verifySignedData({ ...sd, certificates: [ec.certDer] }), 'certificate missing from signedData: serial=2a issuer: O=rekor-ts, CN="signer, with comma"');
    // A certificate that does not parse explains the absence better, as in relic.
    rejects(() => verifySignedData({ ...sd, certificates: [Buffer.from('3003020100', 'hex')] }), /^x509: /u);
  });

  test('BER (indefinite lengths, as openssl -stream writes) is refused as Go refuses it', () => {
    const ber = ws.run(['cms', '-sign', '-binary', '-stream', '-nodetach', '-signer', ec.certPath, '-inkey', ec.keyPath, '-outform', 'DER'], DATA);
    rejects(() => parseContentInfo(ber), /^asn1: syntax error: /u);
  });

  test('trailing bytes after a PKCS#7 structure are refused', () => {
    rejects(() => parseContentInfo(Buffer.concat([ws.cmsSign(ec, DATA), Buffer.of(1)])), 'pkcs7: trailing garbage after PKCS#7 structure');
  });

  test('no signer infos', () => {
    const sd = signedData(ws.cmsSign(ec, DATA));
    rejects(() => verifySignedData({ ...sd, signerInfos: [] }), 'pkcs7 contains no signatures');
  });
});

describe('pki/pkcs7: names in relic\'s LDAP form', () => {
  const oid = (hex: string) => encodeTlv(Tag.OID, Buffer.from(hex, 'hex'));
  const atv = (type: string, value: Uint8Array) => encodeTlv(Tag.SEQUENCE, oid(type), value);
  const utf8 = (text: string) => encodeTlv(Tag.UTF8_STRING, Buffer.from(text));

  test('LDAP order (last RDN first), multi-valued RDNs, quoting; unreadable input', () => {
    const name = encodeTlv(
      Tag.SEQUENCE,
      encodeTlv(Tag.SET, atv('550406', encodeTlv(0x13, Buffer.from('DE')))),
      encodeTlv(Tag.SET, atv('55040a', utf8('x,"y"')), atv('2a0304', utf8(''))),
      encodeTlv(Tag.SET, atv('550403', utf8('plain'))),
    );
    assert.equal(formatName(name), 'CN=plain, O="x,""y""" + 1.2.3.4="", C=DE');
    const single = (value: Uint8Array) => formatName(encodeTlv(Tag.SEQUENCE, encodeTlv(Tag.SET, atv('550403', value))));
    assert.equal(single(encodeTlv(Tag.INTEGER, Uint8Array.of(0xff, 0x01))), 'CN=-255');
    assert.equal(single(oid('2a0304')), 'CN=1.2.3.4');
    assert.equal(single(encodeTlv(Tag.BOOLEAN, Uint8Array.of(0xff))), 'CN=<invalid>');
    assert.equal(formatName(Buffer.from('00', 'hex')), '<invalid>');
  });
});
