import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isRekorError } from '../../errors.js';
import { DEFAULT_SIGNING_ALGORITHMS, allowsRsaPss, isAlgorithmPermitted, parseSigningAlgorithms, type SigningAlgorithm } from './algorithms.js';
import type { HashAlgorithm } from './hash.js';
import { parsePublicKeyInfo } from './keys.js';
import { testKey, type TestKeyType } from './testonly.js';

describe('signing-algorithm policy', () => {
  const cases: Array<{ key: TestKeyType; hash: HashAlgorithm; allowed?: SigningAlgorithm[]; want: boolean }> = [
    { key: 'P-256', hash: 'sha256', want: true },
    { key: 'P-256', hash: 'sha384', want: false },
    { key: 'P-256', hash: 'sha512', want: false },
    { key: 'P-384', hash: 'sha384', want: true },
    { key: 'P-384', hash: 'sha256', want: false },
    { key: 'P-384', hash: 'sha256', allowed: ['ecdsa-sha2-256-nistp384'], want: true },
    { key: 'P-521', hash: 'sha512', want: true },
    { key: 'P-521', hash: 'sha256', want: false },
    { key: 'P-224', hash: 'sha256', want: false },
    { key: 'RSA-2048', hash: 'sha256', want: true },
    { key: 'RSA-2048', hash: 'sha512', want: false },
    { key: 'RSA-3072', hash: 'sha256', want: true },
    { key: 'RSA-4096', hash: 'sha256', want: true },
    { key: 'RSA-2048', hash: 'sha256', allowed: ['rsa-sign-pkcs1-3072-sha256'], want: false },
    { key: 'Ed25519', hash: 'sha512', want: true },
    { key: 'Ed25519', hash: 'sha512', allowed: ['ed25519'], want: false },
  ];
  for (const c of cases) {
    test(`${c.key} with ${c.hash}${c.allowed ? ` under ${c.allowed.join(',')}` : ''}`, () => {
      const key = parsePublicKeyInfo(testKey(c.key).spki);
      assert.equal(isAlgorithmPermitted(key, c.hash, c.allowed ?? DEFAULT_SIGNING_ALGORITHMS), c.want);
    });
  }

  test('PSS only through an rsa-sign-pss entry of the right size', () => {
    const key = parsePublicKeyInfo(testKey('RSA-2048').spki);
    assert.equal(allowsRsaPss(key, 'sha256', DEFAULT_SIGNING_ALGORITHMS), false);
    assert.equal(allowsRsaPss(key, 'sha256', ['rsa-sign-pss-2048-sha256']), true);
    assert.equal(allowsRsaPss(key, 'sha256', ['rsa-sign-pss-3072-sha256']), false);
  });

  test('flag parsing names every unknown value', () => {
    assert.deepEqual(parseSigningAlgorithms(['ed25519-ph', 'ed25519-ph']), ['ed25519-ph']);
    assert.throws(
      () => parseSigningAlgorithms(['ed25519', 'rsa-sign-pss-4092-sha256', 'x']),
      (err: unknown) => isRekorError(err, 'bad_request') && err.message.startsWith('unknown signing algorithm(s): rsa-sign-pss-4092-sha256, x'),
    );
  });
});
