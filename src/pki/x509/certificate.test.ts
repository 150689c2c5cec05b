import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { isRekorError } from '../../errors.js';
import { parseCertificate } from './certificate.js';
import { parseX509PublicKey, verifyX509Signature } from './public-key.js';
import { formatIp } from './san.js';
import {
  buildCertificate,
  certificateExtension,
  certificatePem,
  opensslFixtures,
  sanDns,
  sanEmail,
  sanIp,
  sanOtherName,
  sanUri,
  signMessage,
  testKey,
  type CertificateTemplate,
  type OpensslFixtures,
} from './testonly.js';

const day = 24 * 3600 * 1000;
const t0 = new Date(Date.UTC(2024, 0, 10));
const at = (days: number) => new Date(t0.getTime() + days * day);

function throwsEntry(fn: () => unknown, message: string): void {
  assert.throws(fn, (err: unknown) => isRekorError(err, 'invalid_entry') && err.message === message);
}

function signedBy(key = testKey('P-256', 2)) {
  return signMessage(key, 'sha256', Buffer.from('payload'));
}

describe('certificates made with the openssl CLI', () => {
  let fx: OpensslFixtures;
  before(() => {
    fx = opensslFixtures();
  });

  test('single certificate: canonical is the PEM, SANs in Go order, signature verifies', () => {
    const key = parseX509PublicKey(Buffer.from(fx.selfSigned.pem));
    assert.equal(key.form, 'certificate');
    assert.equal(Buffer.from(key.canonical).toString(), fx.selfSigned.pem);
    assert.deepEqual(key.subjects, [
      'example.com',
      'Alice@Example.com',
      '192.0.2.7',
      '2001:db8::1',
      'https://github.com/o/r/.github/workflows/w.yml@refs/heads/main',
      'alice',
    ]);
    const { digest, signature } = signedBy(fx.selfSigned.key);
    assert.deepEqual(verifyX509Signature(key, 'sha256', digest, signature), { valid: true });
  });

  test('chain leaf, intermediate, root validates; subjects are the leaf SANs', () => {
    const pem = fx.chain.leaf + fx.chain.intermediate + fx.chain.root;
    const key = parseX509PublicKey(Buffer.from(`\n  ${pem}\n\n`));
    assert.equal(key.form, 'chain');
    assert.equal(Buffer.from(key.canonical).toString(), pem);
    assert.deepEqual(key.subjects, ['Signer@Example.COM', 'signer-identity']);
    const { digest, signature } = signedBy(fx.chain.leafKey);
    assert.deepEqual(verifyX509Signature(key, 'sha256', digest, signature), { valid: true });
  });

  const broken: Array<{ name: string; pem: (f: OpensslFixtures) => string }> = [
    { name: 'missing intermediate', pem: (f) => f.chain.leaf + f.chain.root },
    { name: 'reversed order', pem: (f) => f.chain.root + f.chain.intermediate + f.chain.leaf },
    { name: 'foreign root', pem: (f) => f.chain.leaf + f.chain.intermediate + f.selfSigned.pem },
  ];
  for (const c of broken) {
    test(`chain refused: ${c.name}`, () => {
      const key = parseX509PublicKey(Buffer.from(c.pem(fx)));
      const { digest, signature } = signedBy(fx.chain.leafKey);
      assert.deepEqual(verifyX509Signature(key, 'sha256', digest, signature), {
        valid: false,
        reason: 'x509: certificate signed by unknown authority',
      });
    });
  }

  test('PEM shapes Rekor refuses', () => {
    const keyPem = testKey('P-256').pem;
    throwsEntry(() => parseX509PublicKey(Buffer.from(fx.chain.leaf.repeat(11))), 'too many certificates specified in PEM block');
    throwsEntry(() => parseX509PublicKey(Buffer.from(keyPem + fx.chain.leaf)), 'x509: malformed certificate');
    throwsEntry(() => parseX509PublicKey(Buffer.from(`${fx.chain.leaf}trailing`)), 'error during PEM decoding');
    throwsEntry(() => parseX509PublicKey(Buffer.from('not pem')), 'invalid public key: failure decoding PEM');
    throwsEntry(() => parseX509PublicKey(new Uint8Array()), 'invalid public key: failure decoding PEM');
    throwsEntry(() => parseX509PublicKey(Buffer.from(keyPem.replace(/PUBLIC KEY/g, 'EC PUBLIC KEY'))), 'invalid public key: cannot handle type EC PUBLIC KEY');
    assert.equal(parseX509PublicKey(Buffer.from(fx.chain.leaf.repeat(10))).certificates.length, 10);
  });
});

describe('chain validation rules (Go x509.Verify at the leaf NotBefore)', () => {
  const root = testKey('P-256', 10);
  const mid = testKey('P-256', 11);
  const leaf = testKey('P-256', 2);
  const ca = (over: Partial<CertificateTemplate> = {}): CertificateTemplate => ({
    subject: 'Root', issuer: 'Root', subjectKey: root, issuerKey: root, notBefore: at(0), notAfter: at(100), ca: true, keyUsage: [0x01, 0x06], ...over,
  });
  const leafCert = (over: Partial<CertificateTemplate> = {}) =>
    buildCertificate({ subject: 'Leaf', issuer: 'Root', subjectKey: leaf, issuerKey: root, notBefore: at(10), notAfter: at(11), sans: [sanEmail('a@b.c')], ...over });

  const cases: Array<{ name: string; chain: () => Uint8Array[]; want: string }> = [
    { name: 'leaf and root', chain: () => [leafCert(), buildCertificate(ca())], want: 'valid' },
    { name: 'root expired today, valid when the leaf was issued', chain: () => [leafCert(), buildCertificate(ca({ notAfter: at(20) }))], want: 'valid' },
    { name: 'root not yet valid at leaf NotBefore', chain: () => [leafCert(), buildCertificate(ca({ notBefore: at(11) }))], want: 'x509: certificate signed by unknown authority' },
    { name: 'root expired before leaf NotBefore', chain: () => [leafCert(), buildCertificate(ca({ notAfter: at(5) }))], want: 'x509: certificate signed by unknown authority' },
    { name: 'root is not a CA', chain: () => [leafCert(), buildCertificate(ca({ ca: false }))], want: 'x509: certificate signed by unknown authority' },
    { name: 'root may not sign certificates', chain: () => [leafCert(), buildCertificate(ca({ keyUsage: [0x07, 0x80] }))], want: 'x509: certificate signed by unknown authority' },
    {
      name: 'root, intermediate, leaf',
      chain: () => [leafCert({ issuer: 'Mid', issuerKey: mid }), buildCertificate(ca({ subject: 'Mid', subjectKey: mid })), buildCertificate(ca())],
      want: 'valid',
    },
    {
      name: 'intermediate without CA flag',
      chain: () => [leafCert({ issuer: 'Mid', issuerKey: mid }), buildCertificate(ca({ subject: 'Mid', subjectKey: mid, ca: false })), buildCertificate(ca())],
      want: 'x509: certificate signed by unknown authority',
    },
    {
      name: 'path length 0 on the root with one intermediate',
      chain: () => [leafCert({ issuer: 'Mid', issuerKey: mid }), buildCertificate(ca({ subject: 'Mid', subjectKey: mid })), buildCertificate(ca({ pathLen: 0 }))],
      want: 'x509: certificate signed by unknown authority',
    },
    {
      name: 'leaf with an unknown critical extension',
      chain: () => [leafCert({ extraExtensions: [certificateExtension('1.2.3.4', true, Uint8Array.of(5, 0))] }), buildCertificate(ca())],
      want: 'x509: unhandled critical extension',
    },
    {
      name: 'leaf with a critical SAN holding only the OtherName',
      chain: () => [leafCert({ sans: [sanOtherName('user')], sanCritical: true }), buildCertificate(ca())],
      want: 'x509: unhandled critical extension',
    },
    {
      name: 'leaf signed by another key',
      chain: () => [leafCert({ issuerKey: mid }), buildCertificate(ca())],
      want: 'x509: certificate signed by unknown authority',
    },
    { name: 'leaf NotAfter before NotBefore', chain: () => [leafCert({ notAfter: at(9) }), buildCertificate(ca())], want: 'x509: certificate has expired or is not yet valid: current time 2024-01-20T00:00:00Z is after 2024-01-19T00:00:00Z' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const key = parseX509PublicKey(Buffer.from(certificatePem(...c.chain())));
      const { digest, signature } = signedBy(leaf);
      const got = verifyX509Signature(key, 'sha256', digest, signature);
      assert.equal(got.valid ? 'valid' : got.reason, c.want);
    });
  }

  test('a single certificate is never validated', () => {
    const key = parseX509PublicKey(Buffer.from(certificatePem(leafCert({ issuerKey: mid, notAfter: at(1) }))));
    const { digest, signature } = signedBy(leaf);
    assert.deepEqual(verifyX509Signature(key, 'sha256', digest, signature), { valid: true });
  });
});

describe('SANs and certificate parsing', () => {
  const key = testKey('P-256', 2);
  const cert = (over: Partial<CertificateTemplate>) =>
    buildCertificate({ subject: 'S', issuer: 'I', subjectKey: key, issuerKey: testKey('P-256', 10), notBefore: at(0), notAfter: at(1), ...over });
  const subjects = (der: Uint8Array) => parseX509PublicKey(Buffer.from(certificatePem(der))).subjects;

  test('every SAN kind, in Go order', () => {
    const der = cert({ sans: [sanUri('https://x.example/p'), sanIp([10, 0, 0, 1]), sanEmail('Mixed@Case.org'), sanDns('host.example'), sanOtherName('id')] });
    assert.deepEqual(subjects(der), ['host.example', 'Mixed@Case.org', '10.0.0.1', 'https://x.example/p', 'id']);
  });

  test('OtherName ignored when another OID or two of them are present', () => {
    assert.deepEqual(subjects(cert({ sans: [sanEmail('a@b.c'), sanOtherName('x', '1.2.3')] })), ['a@b.c']);
    assert.deepEqual(subjects(cert({ sans: [sanOtherName('x'), sanOtherName('y')] })), []);
  });

  const refused: Array<{ name: string; der: () => Uint8Array; wantErr: string }> = [
    { name: 'IP of 5 bytes', der: () => cert({ sans: [sanIp([1, 2, 3, 4, 5])] }), wantErr: 'x509: cannot parse IP address of length 5' },
    { name: 'non-ASCII email', der: () => cert({ sans: [Uint8Array.of(0x81, 2, 0xc3, 0xa9)] }), wantErr: 'x509: SAN rfc822Name is malformed' },
    {
      name: 'duplicate extension',
      der: () => cert({ extraExtensions: [certificateExtension('2.5.29.14', false, Uint8Array.of(4, 0)), certificateExtension('2.5.29.14', false, Uint8Array.of(4, 0))] }),
      wantErr: 'x509: certificate contains duplicate extensions',
    },
    { name: 'trailing data', der: () => Uint8Array.of(...cert({}), 0), wantErr: 'x509: trailing data' },
    { name: 'garbage', der: () => Uint8Array.of(0x30, 3, 1, 2, 3), wantErr: 'x509: malformed certificate' },
  ];
  for (const c of refused) {
    test(`refused: ${c.name}`, () => throwsEntry(() => parseCertificate(c.der()), c.wantErr));
  }

  test('formatIp matches Go net.IP.String', () => {
    const cases: Array<[number[], string]> = [
      [[192, 0, 2, 1], '192.0.2.1'],
      [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4], '1.2.3.4'],
      [[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], '2001:db8::1'],
      [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], '::'],
      [[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1], '2001:db8:0:1::1'],
      [[0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1], '2001:db8:1:0:1::1'],
      [[0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1], '2001:0:0:1::1'],
      [[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1], '2001:db8::1:0:0:1'],
      [[0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8], '1:2:3:4:5:6:7:8'],
      [[0, 1, 0, 0, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8], '1:0:3:4:5:6:7:8'],
    ];
    for (const [bytes, want] of cases) assert.equal(formatIp(Uint8Array.from(bytes)), want);
  });
});
