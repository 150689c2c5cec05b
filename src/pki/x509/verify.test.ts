import assert from 'node:assert/strict';
import { constants, createHash, privateEncrypt, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { readIndex, testdataPath } from '../../../test/testdata.js';
import { nativeBackendStatus, verifierBackend, type DigestBackend } from './backend.js';
import { encodeDerSignature, parseStrictDer } from './ecdsa-signature.js';
import type { DigestAlgorithm, HashAlgorithm } from './hash.js';
import { parsePublicKeyInfo } from './keys.js';
import { parseX509PublicKey, verifyX509Signature } from './public-key.js';
import { signMessage, testKey, type SignatureEncoding, type TestKeyType } from './testonly.js';
import { verifyDigestSignature, verifyEcdsaDigest, verifyRsaDigest, type DigestVerification, type EcdsaPublicKey, type RsaPublicKey } from './verify.js';

const native = verifierBackend('native');
const backends: DigestBackend[] = [verifierBackend('js') as DigestBackend, ...(native ? [native] : [])];
const message = Buffer.from('an artifact the log never sees');

const ASN1 = 'invalid signature when validating ASN.1 encoded signature';
const P1363 = 'invalid signature when validating IEEE_P1363 encoded signature';
const P1363_LENGTH = 'ecdsa: Invalid IEEE_P1363 encoded bytes';
const RSA = 'crypto/rsa: verification error';
const ED = 'failed to verify signature: ed25519: invalid signature';

const ALGORITHMS: Array<{ type: TestKeyType; hash: HashAlgorithm; failure: string }> = [
  { type: 'P-224', hash: 'sha256', failure: ASN1 },
  { type: 'P-256', hash: 'sha256', failure: ASN1 },
  { type: 'P-256', hash: 'sha512', failure: ASN1 }, // digest longer than the order: truncated
  { type: 'P-384', hash: 'sha384', failure: ASN1 },
  { type: 'P-384', hash: 'sha256', failure: ASN1 },
  { type: 'P-521', hash: 'sha512', failure: ASN1 },
  { type: 'RSA-2048', hash: 'sha256', failure: RSA },
  { type: 'RSA-2048', hash: 'sha512', failure: RSA },
  { type: 'RSA-3072', hash: 'sha256', failure: RSA },
  { type: 'RSA-4096', hash: 'sha256', failure: RSA },
  { type: 'Ed25519', hash: 'sha512', failure: ED },
];

function flip(bytes: Uint8Array, index: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[index] = (out[index] as number) ^ 0x01;
  return out;
}

function verdict(v: DigestVerification): string {
  return v.valid ? 'valid' : v.reason;
}

interface Case {
  name: string;
  key: TestKeyType;
  slot?: number;
  hash: HashAlgorithm;
  digest: Uint8Array;
  signature: Uint8Array;
  allowRsaPss?: boolean;
  want: string;
}

function casesFor(type: TestKeyType, hash: HashAlgorithm, failure: string): Case[] {
  const { digest, signature } = signMessage(testKey(type), hash, message);
  const base = { key: type, hash, digest, signature };
  const cases: Case[] = [
    { ...base, name: 'valid', want: 'valid' },
    { ...base, name: 'altered digest', digest: flip(digest, 0), want: failure },
    { ...base, name: 'wrong key', slot: 1, want: failure },
    { ...base, name: 'flipped signature byte', signature: flip(signature, signature.length - 1), want: failure },
  ];
  if (type.startsWith('P-')) {
    const p1363 = signMessage(testKey(type), hash, message, 'p1363');
    const rs = parseStrictDer(signature) as { r: bigint; s: bigint };
    const n = parsePublicKeyInfo(testKey(type).spki);
    const order = n.kind === 'ecdsa' ? n.curve.order : 0n;
    cases.push(
      { ...base, name: 'IEEE P1363 form', signature: p1363.signature, want: 'valid' },
      { ...base, name: 'IEEE P1363 tampered', signature: flip(p1363.signature, 3), want: P1363 },
      { ...base, name: 'high-S form is accepted', signature: encodeDerSignature(rs.r, order - rs.s), want: 'valid' },
      { ...base, name: 's = 0', signature: encodeDerSignature(rs.r, 0n), want: ASN1 },
      { ...base, name: 'r = n', signature: encodeDerSignature(order, rs.s), want: ASN1 },
      { ...base, name: 'DER with a trailing byte', signature: Uint8Array.of(...signature, 0), want: ASN1 },
      { ...base, name: 'truncated to an odd length', signature: signature.subarray(0, signature.length % 2 ? -2 : -1), want: P1363_LENGTH },
      { ...base, name: 'empty', signature: new Uint8Array(), want: P1363_LENGTH },
    );
  } else {
    cases.push({ ...base, name: 'truncated', signature: signature.subarray(0, signature.length - 1), want: failure });
  }
  if (type === 'RSA-2048' && hash === 'sha256') {
    const pss = signMessage(testKey(type), hash, message, 'pss' as SignatureEncoding).signature;
    cases.push(
      { ...base, name: 'PSS refused by default (as Rekor)', signature: pss, want: RSA },
      { ...base, name: 'PSS accepted when allowed', signature: pss, allowRsaPss: true, want: 'valid' },
      { ...base, name: 'PSS tampered', signature: pss, digest: flip(digest, 5), allowRsaPss: true, want: RSA },
    );
  }
  if (type === 'Ed25519') {
    const sig = Uint8Array.from(signature);
    // S + L: the same scalar, non-canonically encoded; Go refuses it.
    let s = BigInt(`0x${Buffer.from(sig.subarray(32)).reverse().toString('hex')}`) + 2n ** 252n + 27742317777372353535851937790883648493n;
    for (let i = 32; i < 64; i++, s >>= 8n) sig[i] = Number(s & 0xffn);
    cases.push(
      { ...base, name: 'non-canonical S', signature: sig, want: ED },
      { ...base, name: 'sha256 digest', hash: 'sha256', digest: digest.subarray(0, 32), want: 'unsupported hash algorithm: "SHA-256" not in [SHA-512]' },
    );
  }
  return cases;
}

describe('verifyDigestSignature', () => {
  for (const { type, hash, failure } of ALGORITHMS) {
    describe(`${type} / ${hash}`, () => {
      for (const c of casesFor(type, hash, failure)) {
        test(c.name, () => {
          const key = parsePublicKeyInfo(testKey(c.key, c.slot ?? 0).spki);
          for (const backend of backends) {
            const got = verifyDigestSignature(key, c.hash, c.digest, c.signature, { backend, allowRsaPss: c.allowRsaPss ?? false });
            assert.equal(verdict(got), c.want, `backend ${backend.name}`);
          }
        });
      }
    });
  }

  test('unsupported keys are refused', () => {
    const unsupported = { kind: 'unsupported', spki: new Uint8Array(), algorithm: 'dsa' } as const;
    assert.equal(verdict(verifyDigestSignature(unsupported, 'sha256', new Uint8Array(32), Uint8Array.of(1))), 'unsupported public key type');
  });
});

// CI builds the addon (.ci/run installs the compilers), so there it must exist; elsewhere a
// machine without compilers runs only the JS backend and says so.
const nativeRequired = process.env['CI'] === 'true';
const skipNative = native === undefined && !nativeRequired ? `native backend unavailable: ${nativeBackendStatus()}` : false;

describe('native and js backends agree', () => {
  test('native backend is built', { skip: skipNative }, () => {
    assert.equal(native?.name, 'native', nativeBackendStatus());
  });

  for (const { type, hash } of ALGORITHMS) {
    test(`${type} / ${hash}: same verdict on mutated signatures and digests`, { skip: skipNative }, () => {
      assert.ok(native, nativeBackendStatus());
      const key = parsePublicKeyInfo(testKey(type).spki);
      const der = signMessage(testKey(type), hash, message);
      const p1363 = type.startsWith('P-') ? signMessage(testKey(type), hash, message, 'p1363').signature : der.signature;
      const runs = type === 'RSA-4096' ? 20 : 60;
      fc.assert(
        fc.property(fc.boolean(), fc.nat(), fc.nat(255), fc.nat(), fc.boolean(), (useP1363, at, value, digestAt, touchDigest) => {
          const signature = Uint8Array.from(useP1363 ? p1363 : der.signature);
          const digest = Uint8Array.from(der.digest);
          if (touchDigest) digest[digestAt % digest.length] = value;
          else signature[at % signature.length] = value;
          const js = verifyDigestSignature(key, hash, digest, signature, { backend: backends[0] as DigestBackend, allowRsaPss: true });
          const nat = verifyDigestSignature(key, hash, digest, signature, { backend: native as DigestBackend, allowRsaPss: true });
          assert.deepEqual(nat, js);
        }),
        { numRuns: runs },
      );
    });
  }
});

describe('shared test data (x509 artifacts)', () => {
  const dir = (...p: string[]) => testdataPath('artifacts', ...p);
  const sha = (hash: HashAlgorithm, file: string) => new Uint8Array(createHash(hash).update(readFileSync(dir(file))).digest());
  const cases: Array<{ name: string; key: string; artifact: string; sig: string; hash: HashAlgorithm; want: string }> = [
    { name: 'ECDSA P-256 (x509)', key: 'x509/ec.pub', artifact: 'x509/hello_world.txt', sig: 'x509/hello_world.txt.sig', hash: 'sha256', want: 'valid' },
    { name: 'RSA-4096', key: 'x509/rsa4096_public_key.pem', artifact: 'x509/rsa4096_artifact.txt', sig: 'x509/rsa4096_artifact.txt.sig', hash: 'sha256', want: 'valid' },
    { name: 'client-algos ECDSA file1', key: 'x509-client-algos/ec_public.pem', artifact: 'x509-client-algos/file1', sig: 'x509-client-algos/file1.ec.sig', hash: 'sha256', want: 'valid' },
    { name: 'client-algos ECDSA file2', key: 'x509-client-algos/ec_public.pem', artifact: 'x509-client-algos/file2', sig: 'x509-client-algos/file2.ec.sig', hash: 'sha256', want: 'valid' },
    { name: 'client-algos RSA file1', key: 'x509-client-algos/rsa_public.pem', artifact: 'x509-client-algos/file1', sig: 'x509-client-algos/file1.rsa.sig', hash: 'sha256', want: 'valid' },
    { name: 'client-algos RSA file2', key: 'x509-client-algos/rsa_public.pem', artifact: 'x509-client-algos/file2', sig: 'x509-client-algos/file2.rsa.sig', hash: 'sha256', want: 'valid' },
    { name: 'client-algos RSA SHA-512', key: 'x509-client-algos/rsa_public.pem', artifact: 'x509-client-algos/file2', sig: 'x509-client-algos/file2.rsa512.sig', hash: 'sha512', want: 'valid' },
    { name: 'client-algos Ed25519ph', key: 'x509-client-algos/ed25519_public.pem', artifact: 'x509-client-algos/file1', sig: 'x509-client-algos/file1.ed25519ph.sig', hash: 'sha512', want: 'valid' },
    { name: 'pure Ed25519 is not Ed25519ph', key: 'x509-client-algos/ed25519_public.pem', artifact: 'x509-client-algos/file1', sig: 'x509-client-algos/file1.ed25519.sig', hash: 'sha512', want: ED },
    { name: 'signature of another file', key: 'x509-client-algos/ec_public.pem', artifact: 'x509-client-algos/file2', sig: 'x509-client-algos/file1.ec.sig', hash: 'sha256', want: ASN1 },
    { name: 'RSA SHA-256 signature checked as SHA-512', key: 'x509-client-algos/rsa_public.pem', artifact: 'x509-client-algos/file2', sig: 'x509-client-algos/file2.rsa.sig', hash: 'sha512', want: RSA },
  ];
  const index = new Map(readIndex().map((r) => [r.file, r]));
  for (const c of cases) {
    test(c.name, () => {
      for (const f of [c.key, c.artifact, c.sig]) assert.equal(index.get(`artifacts/${f}`)?.expected, 'valid', `INDEX.json lists ${f}`);
      const key = parseX509PublicKey(readFileSync(dir(c.key)));
      for (const backend of backends) {
        const got = verifyX509Signature(key, c.hash, sha(c.hash, c.artifact), readFileSync(dir(c.sig)), { backend });
        assert.equal(verdict(got), c.want, backend.name);
      }
    });
  }
});

describe('verifyRsaDigest and verifyEcdsaDigest: the digests and paddings PKCS#7 and alpine need', () => {
  const rsa = testKey('RSA-2048');
  const rsaKey = parsePublicKeyInfo(rsa.spki) as RsaPublicKey;
  const ecKey = parsePublicKeyInfo(testKey('P-256').spki) as EcdsaPublicKey;
  const digestOf = (hash: DigestAlgorithm) => new Uint8Array(createHash(hash).update(message).digest());

  test('PKCS#1 v1.5 over MD5, SHA-1 and SHA-224 (JS path), on both backends alike', () => {
    for (const hash of ['md5', 'sha1', 'sha224', 'sha256'] as const) {
      const signature = sign(hash, message, rsa.privateKey);
      for (const backend of backends) {
        assert.equal(verifyRsaDigest(rsaKey, hash, digestOf(hash), signature, { backend }), true, `${hash} ${backend.name}`);
        assert.equal(verifyRsaDigest(rsaKey, hash, flip(digestOf(hash), 0), signature, { backend }), false, `${hash} altered`);
      }
      // The DigestInfo names the hash: the same digest under another name fails.
      assert.equal(verifyRsaDigest(rsaKey, 'none', digestOf(hash), signature), false);
    }
  });

  test("Go's hash 0: PKCS#1 v1.5 over the bare digest, without DigestInfo", () => {
    const digest = digestOf('sha1');
    const signature = privateEncrypt({ key: rsa.privateKey, padding: constants.RSA_PKCS1_PADDING }, digest);
    assert.equal(verifyRsaDigest(rsaKey, 'none', digest, signature), true);
    assert.equal(verifyRsaDigest(rsaKey, 'sha1', digest, signature), false);
    assert.equal(verifyRsaDigest(rsaKey, 'none', flip(digest, 3), signature), false);
  });

  test('PSS with a stated salt length verifies only with that length; auto takes any', () => {
    for (const hash of ['sha1', 'sha256', 'sha512'] as const) {
      const signature = sign(hash, message, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 20 });
      assert.equal(verifyRsaDigest(rsaKey, hash, digestOf(hash), signature, { pssSaltLength: 20 }), true, hash);
      assert.equal(verifyRsaDigest(rsaKey, hash, digestOf(hash), signature, { pssSaltLength: 21 }), false, hash);
      assert.equal(verifyRsaDigest(rsaKey, hash, digestOf(hash), signature, { pssSaltLength: 'auto' }), true, hash);
      assert.equal(verifyRsaDigest(rsaKey, hash, digestOf(hash), signature), false, `${hash} is not PKCS#1 v1.5`);
    }
  });

  test("Go's RSA key limits apply to every digest", () => {
    const signature = sign('sha1', message, rsa.privateKey);
    assert.equal(verifyRsaDigest({ ...rsaKey, exponent: 4n }, 'sha1', digestOf('sha1'), signature), false, 'even exponent');
    assert.equal(verifyRsaDigest({ ...rsaKey, exponent: 2n ** 31n + 1n }, 'sha1', digestOf('sha1'), signature), false, 'exponent too large');
    assert.equal(verifyRsaDigest({ ...rsaKey, modulusBits: 16392 }, 'sha1', digestOf('sha1'), signature), false, 'modulus too large');
    assert.equal(verifyRsaDigest(rsaKey, 'sha1', digestOf('sha1'), signature.subarray(1)), false, 'short signature');
  });

  test('ECDSA over SHA-1 and MD5 digests; r and s outside [1, n-1] refused', () => {
    for (const hash of ['md5', 'sha1', 'sha224', 'sha256'] as const) {
      const { r, s } = parseStrictDer(sign(hash, message, testKey('P-256').privateKey)) as { r: bigint; s: bigint };
      for (const backend of backends) {
        assert.equal(verifyEcdsaDigest(ecKey, hash, digestOf(hash), r, s, backend), true, `${hash} ${backend.name}`);
        assert.equal(verifyEcdsaDigest(ecKey, hash, flip(digestOf(hash), 0), r, s, backend), false, `${hash} altered`);
        assert.equal(verifyEcdsaDigest(ecKey, hash, digestOf(hash), -r, s, backend), false, `${hash} negative r`);
        assert.equal(verifyEcdsaDigest(ecKey, hash, digestOf(hash), r, s + ecKey.curve.order, backend), false, `${hash} s >= n`);
      }
    }
  });

  test('verifyDigestSignature over SHA-1 (alpine): sigstore texts', () => {
    const digest = digestOf('sha1');
    assert.deepEqual(verifyDigestSignature(rsaKey, 'sha1', digest, sign('sha1', message, rsa.privateKey)), { valid: true });
    assert.equal(verdict(verifyDigestSignature(rsaKey, 'sha1', flip(digest, 1), sign('sha1', message, rsa.privateKey))), RSA);
    assert.deepEqual(verifyDigestSignature(ecKey, 'sha1', digest, sign('sha1', message, testKey('P-256').privateKey)), { valid: true });
    assert.equal(verdict(verifyDigestSignature(ecKey, 'sha1', digest.subarray(1), Uint8Array.of(1))), 'unexpected length of digest for hash function specified');
  });
});
