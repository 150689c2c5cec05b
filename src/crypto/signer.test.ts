/**
 * Loading and generating log signing keys: every PEM encoding Rekor's file signer reads,
 * encrypted keys with right / wrong / missing passwords, unsupported keys, and the signature
 * conventions (ECDSA DER over SHA-256 whatever the curve).
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { testdataPath } from '../../test/testdata.js';
import {
  KeyError,
  generateSignerKey,
  keyHintOf,
  logIdOf,
  publicKeyFromPem,
  signerFromPem,
  toHex,
  type LogSignerAlgorithm,
} from './index.js';

const message = new TextEncoder().encode('rekor.example - 1\n5\nAAAA\n');

function verifiesWithDefaultDigest(publicKey: KeyObject, algorithm: LogSignerAlgorithm, signature: Uint8Array): boolean {
  // What sigstore-js does: node's default digest, i.e. SHA-256 for ECDSA and RSA, none for Ed25519.
  return verify(algorithm === 'ed25519' ? null : 'sha256', message, publicKey, signature);
}

function isKeyError(code: string) {
  return (err: unknown) => err instanceof KeyError && err.code === code && err.message.length > 0;
}

describe('signerFromPem', () => {
  const ec = (namedCurve: string) => generateKeyPairSync('ec', { namedCurve }).privateKey;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const ed = generateKeyPairSync('ed25519').privateKey;
  const cases: { name: string; pem: string; want: LogSignerAlgorithm }[] = [
    { name: 'PKCS#8 P-256', pem: ec('P-256').export({ type: 'pkcs8', format: 'pem' }).toString(), want: 'ecdsa-p256' },
    { name: 'SEC1 P-256', pem: ec('P-256').export({ type: 'sec1', format: 'pem' }).toString(), want: 'ecdsa-p256' },
    { name: 'PKCS#8 P-384', pem: ec('P-384').export({ type: 'pkcs8', format: 'pem' }).toString(), want: 'ecdsa-p384' },
    { name: 'SEC1 P-521', pem: ec('P-521').export({ type: 'sec1', format: 'pem' }).toString(), want: 'ecdsa-p521' },
    { name: 'PKCS#1 RSA', pem: rsa.export({ type: 'pkcs1', format: 'pem' }).toString(), want: 'rsa' },
    { name: 'PKCS#8 RSA', pem: rsa.export({ type: 'pkcs8', format: 'pem' }).toString(), want: 'rsa' },
    { name: 'PKCS#8 Ed25519', pem: ed.export({ type: 'pkcs8', format: 'pem' }).toString(), want: 'ed25519' },
  ];
  for (const c of cases) {
    it(`loads ${c.name} and signs as Rekor does`, () => {
      const signer = signerFromPem(c.pem);
      assert.equal(signer.algorithm, c.want);
      const signature = signer.sign(message);
      assert.ok(verifiesWithDefaultDigest(signer.publicKey, c.want, signature));
      if (c.want.startsWith('ecdsa')) assert.equal(signature[0], 0x30, 'ECDSA signatures are ASN.1 DER');
      assert.deepEqual(publicKeyFromPem(signer.publicKeyPem).export({ format: 'der', type: 'spki' }), Buffer.from(signer.publicKeyDer));
    });
  }

  it('writes the public key as 64-column PEM with a trailing newline', () => {
    const { signer } = generateSignerKey('rsa');
    const lines = signer.publicKeyPem.split('\n');
    assert.equal(lines[0], '-----BEGIN PUBLIC KEY-----');
    assert.equal(lines.at(-2), '-----END PUBLIC KEY-----');
    assert.equal(lines.at(-1), '');
    assert.ok(lines.slice(1, -3).every((line) => line.length === 64));
  });
});

describe('encrypted keys', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const encrypted: { name: string; pem: string }[] = [
    { name: 'PKCS#8 (ENCRYPTED PRIVATE KEY)', pem: privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'hunter2' }).toString() },
    { name: 'legacy SEC1 (Proc-Type: 4,ENCRYPTED)', pem: privateKey.export({ type: 'sec1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'hunter2' }).toString() },
    { name: 'legacy PKCS#1 RSA', pem: rsa.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'hunter2' }).toString() },
  ];
  for (const c of encrypted) {
    it(`${c.name}: loads with the right password`, () => {
      assert.ok(signerFromPem(c.pem, 'hunter2').sign(message).length > 0);
    });
    it(`${c.name}: a missing password is named`, () => {
      assert.throws(() => signerFromPem(c.pem), isKeyError('password_required'));
      assert.throws(() => signerFromPem(c.pem, ''), isKeyError('password_required'));
    });
    it(`${c.name}: a wrong password is named`, () => {
      assert.throws(() => signerFromPem(c.pem, 'hunter3'), (err: unknown) => isKeyError('wrong_password')(err) && /wrong password/.test((err as Error).message));
    });
  }
});

describe('unsupported and malformed keys', () => {
  const cases: { name: string; pem: string; code: string }[] = [
    { name: 'secp256k1', pem: generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), code: 'unsupported_key' },
    { name: 'RSA 1024', pem: generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), code: 'unsupported_key' },
    { name: 'Ed448', pem: generateKeyPairSync('ed448').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), code: 'unsupported_key' },
    { name: 'garbage', pem: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', code: 'malformed_key' },
    { name: 'a public key', pem: readFileSync(testdataPath('trust', 'production', 'rekor.pub'), 'utf8'), code: 'malformed_key' },
  ];
  for (const c of cases) {
    it(`rejects ${c.name}`, () => assert.throws(() => signerFromPem(c.pem), isKeyError(c.code)));
  }
});

describe('generateSignerKey and log identity', () => {
  it('generates ECDSA P-256 by default, as an unencrypted PKCS#8 PEM that reloads', () => {
    const { privateKeyPem, signer } = generateSignerKey();
    assert.equal(signer.algorithm, 'ecdsa-p256');
    assert.match(privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.deepEqual(signerFromPem(privateKeyPem).publicKeyDer, signer.publicKeyDer);
  });

  it('computes the production log ID and key hint', () => {
    const key = publicKeyFromPem(readFileSync(testdataPath('trust', 'production', 'rekor.pub'), 'utf8'));
    const spki = Uint8Array.from(key.export({ format: 'der', type: 'spki' }));
    assert.equal(toHex(logIdOf(spki)), 'c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d');
    assert.equal(toHex(keyHintOf(spki)), 'c0d23d6a');
  });

  it('signs ECDSA P-384 over SHA-256, not SHA-384 (what sigstore-js verifies)', () => {
    const { signer } = generateSignerKey('ecdsa-p384');
    const signature = signer.sign(message);
    assert.ok(verify('sha256', message, signer.publicKey, signature));
    assert.ok(!verify('sha384', message, signer.publicKey, signature));
  });
});
