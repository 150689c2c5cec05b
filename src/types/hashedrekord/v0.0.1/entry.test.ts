import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { isRekorError } from '../../../errors.js';
import { opensslFixtures, signMessage, testKey, type TestKeyType } from '../../../pki/x509/testonly.js';
import { parseX509PublicKey, type HashAlgorithm } from '../../../pki/x509/index.js';
import { repoRoot, testdataPath } from '../../../../test/testdata.js';
import { defaultTypeContext, type CanonicalEntry } from '../../types.js';
import { canonicalizeHashedrekord } from './entry.js';

const ctx = defaultTypeContext();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const b64 = (b: Uint8Array | string) => Buffer.from(b).toString('base64');
const message = Buffer.from('hashedrekord test artifact');

function specFor(pem: string, hash: HashAlgorithm, digest: Uint8Array, signature: Uint8Array) {
  return { data: { hash: { algorithm: hash, value: hex(digest) } }, signature: { content: b64(signature), publicKey: { content: b64(pem) } } };
}

function keySpec(type: TestKeyType, hash: HashAlgorithm, slot = 0) {
  const { digest, signature } = signMessage(testKey(type, slot), hash, message);
  return specFor(testKey(type, slot).pem, hash, digest, signature);
}

function expectError(spec: unknown, message: string, context = ctx): void {
  assert.throws(() => canonicalizeHashedrekord(spec, context), (err: unknown) => {
    assert.ok(isRekorError(err, 'invalid_entry'), `got ${String(err)}`);
    assert.equal(err.message, message);
    return true;
  });
}

// The schema Rekor generates its model from, compiled for a structural check of our output.
const schema = JSON.parse(readFileSync(join(repoRoot, 'src/types/hashedrekord/v0.0.1/hashedrekord_v0_0_1_schema.json'), 'utf8')) as object;
const validateSpecSchema = new Ajv({ strict: false, validateFormats: false }).compile(schema);

function checkBody(entry: CanonicalEntry): Record<string, unknown> {
  const body = JSON.parse(Buffer.from(entry.body).toString()) as { apiVersion: string; kind: string; spec: Record<string, unknown> };
  assert.deepEqual(Object.keys(body), ['apiVersion', 'kind', 'spec']);
  assert.equal(body.kind, 'hashedrekord');
  assert.ok(validateSpecSchema(body.spec), JSON.stringify(validateSpecSchema.errors));
  return body.spec;
}

describe('hashedrekord 0.0.1: the worked example (REKOR.md §7)', () => {
  test('UUID and public-key index key', () => {
    const proposed = JSON.parse(readFileSync(testdataPath('artifacts', 'proposed-entries', 'models-hashedrekord.json'), 'utf8')) as { spec: unknown };
    const entry = canonicalizeHashedrekord(proposed.spec, ctx);
    assert.equal(hex(entry.leafHash), 'ae0c1d54f8d749c53e31cf2db1d9e95f8409f99ea2dc6e5760d3a111e96bf64c');
    assert.deepEqual(entry.indexKeys, [
      '8df5ca9ca33f0976ba306b56b00ab043101596f3e3f815ef3e23d5c49be330f1',
      'sha256:c98c24b677eff44860afea6f493bbaec5bb1c4cbb209c6fc2bbb47f66ff2ad31',
    ]);
    checkBody(entry);
  });
});

describe('hashedrekord 0.0.1: a valid entry for every allowed algorithm', () => {
  const cases: Array<{ type: TestKeyType; hash: HashAlgorithm }> = [
    { type: 'P-256', hash: 'sha256' },
    { type: 'P-384', hash: 'sha384' },
    { type: 'P-521', hash: 'sha512' },
    { type: 'RSA-2048', hash: 'sha256' },
    { type: 'RSA-3072', hash: 'sha256' },
    { type: 'RSA-4096', hash: 'sha256' },
    { type: 'Ed25519', hash: 'sha512' },
  ];
  for (const c of cases) {
    test(`${c.type} / ${c.hash}`, () => {
      const spec = keySpec(c.type, c.hash);
      const entry = canonicalizeHashedrekord(spec, ctx);
      const body = checkBody(entry);
      assert.deepEqual(body, spec, 'a canonical submission comes back unchanged');
      assert.equal(entry.indexKeys.length, 2);
      assert.equal(entry.indexKeys[1], `${c.hash}:${spec.data.hash.value}`);
    });
  }

  test('certificates made with openssl: single and chain; subjects become index keys', () => {
    const fx = opensslFixtures();
    for (const pem of [fx.chain.leaf, fx.chain.leaf + fx.chain.intermediate + fx.chain.root]) {
      const { digest, signature } = signMessage(fx.chain.leafKey, 'sha256', message);
      const entry = canonicalizeHashedrekord(specFor(pem, 'sha256', digest, signature), ctx);
      assert.deepEqual(entry.indexKeys.slice(1), ['signer@example.com', 'signer-identity', `sha256:${hex(digest)}`]);
    }
  });
});

describe('hashedrekord 0.0.1: shared x509 fixtures as entries', () => {
  const file = (...p: string[]) => readFileSync(testdataPath('artifacts', ...p));
  const digestOf = (hash: HashAlgorithm, artifact: string) => new Uint8Array(createHash(hash).update(file(artifact)).digest());
  const cases: Array<{ key: string; artifact: string; sig: string; hash: HashAlgorithm; wantErr?: string }> = [
    { key: 'x509/ec.pub', artifact: 'x509/hello_world.txt', sig: 'x509/hello_world.txt.sig', hash: 'sha256' },
    { key: 'x509/rsa4096_public_key.pem', artifact: 'x509/rsa4096_artifact.txt', sig: 'x509/rsa4096_artifact.txt.sig', hash: 'sha256' },
    { key: 'x509-client-algos/ec_public.pem', artifact: 'x509-client-algos/file2', sig: 'x509-client-algos/file2.ec.sig', hash: 'sha256' },
    { key: 'x509-client-algos/rsa_public.pem', artifact: 'x509-client-algos/file1', sig: 'x509-client-algos/file1.rsa.sig', hash: 'sha256' },
    { key: 'x509-client-algos/ed25519_public.pem', artifact: 'x509-client-algos/file1', sig: 'x509-client-algos/file1.ed25519ph.sig', hash: 'sha512' },
    { key: 'x509-client-algos/rsa_public.pem', artifact: 'x509-client-algos/file2', sig: 'x509-client-algos/file2.rsa512.sig', hash: 'sha512', wantErr: 'entry algorithms are not allowed' },
    { key: 'x509-client-algos/ed25519_public.pem', artifact: 'x509-client-algos/file1', sig: 'x509-client-algos/file1.ed25519.sig', hash: 'sha512', wantErr: 'verifying signature: failed to verify signature: ed25519: invalid signature' },
  ];
  for (const c of cases) {
    test(`${c.sig}${c.wantErr ? ' (refused)' : ''}`, () => {
      const spec = specFor(file(c.key).toString(), c.hash, digestOf(c.hash, c.artifact), file(c.sig));
      if (c.wantErr !== undefined) expectError(spec, c.wantErr);
      else checkBody(canonicalizeHashedrekord(spec, ctx));
    });
  }
});

describe('hashedrekord 0.0.1: refused entries', () => {
  const p256 = keySpec('P-256', 'sha256');
  const flipDigest = (v: string) => (v[0] === '0' ? '1' : '0') + v.slice(1);
  const cases: Array<{ name: string; spec: () => unknown; wantErr: string }> = [
    { name: 'wrong key', spec: () => ({ ...p256, signature: { ...p256.signature, publicKey: { content: b64(testKey('P-256', 1).pem) } } }), wantErr: 'verifying signature: invalid signature when validating ASN.1 encoded signature' },
    { name: 'altered digest', spec: () => ({ ...p256, data: { hash: { algorithm: 'sha256', value: flipDigest(p256.data.hash.value) } } }), wantErr: 'verifying signature: invalid signature when validating ASN.1 encoded signature' },
    { name: 'truncated signature', spec: () => ({ ...p256, signature: { ...p256.signature, content: b64(Buffer.from(p256.signature.content, 'base64').subarray(0, 20)) } }), wantErr: 'verifying signature: invalid signature when validating IEEE_P1363 encoded signature' },
    { name: 'RSA signature altered', spec: () => { const s = keySpec('RSA-2048', 'sha256'); return { ...s, data: { hash: { algorithm: 'sha256', value: flipDigest(s.data.hash.value) } } }; }, wantErr: 'verifying signature: crypto/rsa: verification error' },
    { name: 'Ed25519 signature on another digest', spec: () => { const s = keySpec('Ed25519', 'sha512'); return { ...s, data: { hash: { algorithm: 'sha512', value: flipDigest(s.data.hash.value) } } }; }, wantErr: 'verifying signature: failed to verify signature: ed25519: invalid signature' },
    { name: 'P-256 with SHA-512 (verifies, policy refuses)', spec: () => keySpec('P-256', 'sha512'), wantErr: 'entry algorithms are not allowed' },
    { name: 'P-384 with SHA-256', spec: () => keySpec('P-384', 'sha256'), wantErr: 'entry algorithms are not allowed' },
    { name: 'RSA-2048 with SHA-512', spec: () => keySpec('RSA-2048', 'sha512'), wantErr: 'entry algorithms are not allowed' },
    { name: 'P-224', spec: () => keySpec('P-224', 'sha256'), wantErr: 'entry algorithms are not allowed' },
    { name: 'Ed25519 with SHA-256', spec: () => { const s = keySpec('Ed25519', 'sha512'); return { ...s, data: { hash: { algorithm: 'sha256', value: s.data.hash.value.slice(0, 64) } } }; }, wantErr: 'verifying signature: unsupported hash algorithm: "SHA-256" not in [SHA-512]' },
    { name: 'hash of the wrong length', spec: () => ({ ...p256, data: { hash: { algorithm: 'sha384', value: p256.data.hash.value } } }), wantErr: 'invalid value for hash' },
    { name: 'hash not hex', spec: () => ({ ...p256, data: { hash: { algorithm: 'sha256', value: `g${p256.data.hash.value.slice(1)}` } } }), wantErr: "encoding/hex: invalid byte: U+0067 'g'" },
    { name: 'hash with a control byte', spec: () => ({ ...p256, data: { hash: { algorithm: 'sha256', value: `\u0001${p256.data.hash.value.slice(1)}` } } }), wantErr: 'encoding/hex: invalid byte: U+0001' },
    { name: 'no signature content', spec: () => ({ ...p256, signature: { publicKey: p256.signature.publicKey } }), wantErr: 'verifying signature: X509 signature has not been initialized' },
    { name: 'no public key', spec: () => ({ ...p256, signature: { content: p256.signature.content } }), wantErr: 'missing public key' },
    { name: 'empty public key', spec: () => ({ ...p256, signature: { ...p256.signature, publicKey: { content: '' } } }), wantErr: 'invalid public key: failure decoding PEM' },
    { name: 'signature not base64', spec: () => ({ ...p256, signature: { ...p256.signature, content: 'MEUC!' } }), wantErr: 'failed parsing base64 data for signature content: illegal base64 data at input byte 4' },
    { name: 'public key not base64', spec: () => ({ ...p256, signature: { ...p256.signature, publicKey: { content: 'abc' } } }), wantErr: 'failed parsing base64 data for public key content: illegal base64 data at input byte 0' },
    { name: 'spec is a string', spec: () => 'x', wantErr: 'unsupported input type string for DecodeEntry' },
    { name: 'spec is an array', spec: () => [p256], wantErr: 'unsupported input type []interface {} for DecodeEntry' },
    { name: 'spec is a number', spec: () => 1, wantErr: 'unsupported input type json.Number for DecodeEntry' },
    { name: 'spec is null', spec: () => null, wantErr: 'unsupported input type <nil> for DecodeEntry' },
    { name: 'empty spec', spec: () => ({}), wantErr: 'validation failure list:\ndata in body is required\nsignature in body is required' },
    { name: 'signature of the wrong type', spec: () => ({ ...p256, signature: 'x' }), wantErr: 'validation failure list:\nsignature in body is required' },
    { name: 'data without hash', spec: () => ({ ...p256, data: {} }), wantErr: 'validation failure list:\ndata in body is required' },
    { name: 'no algorithm', spec: () => ({ ...p256, data: { hash: { value: p256.data.hash.value } } }), wantErr: 'validation failure list:\ndata.data.hash.data.hash.algorithm in body is required' },
    { name: 'algorithm not a string', spec: () => ({ ...p256, data: { hash: { algorithm: 256, value: p256.data.hash.value } } }), wantErr: 'validation failure list:\ndata.data.hash.data.hash.algorithm in body is required' },
    { name: 'unknown algorithm', spec: () => ({ ...p256, data: { hash: { algorithm: 'SHA256', value: p256.data.hash.value } } }), wantErr: 'validation failure list:\ndata.data.hash.data.hash.algorithm in body should be one of [sha256 sha384 sha512]' },
    { name: 'no value', spec: () => ({ ...p256, data: { hash: { algorithm: 'sha256' } } }), wantErr: 'validation failure list:\ndata.data.hash.data.hash.value in body is required' },
  ];
  for (const c of cases) {
    test(c.name, () => expectError(c.spec(), c.wantErr));
  }
});

describe('hashedrekord 0.0.1: canonical form', () => {
  const spec = keySpec('P-256', 'sha256');

  test('upper-case hex is kept in the body, lower-cased in the index, and is another entry', () => {
    const upper = { ...spec, data: { hash: { algorithm: 'sha256', value: spec.data.hash.value.toUpperCase() } } };
    const a = canonicalizeHashedrekord(spec, ctx);
    const b = canonicalizeHashedrekord(upper, ctx);
    assert.equal((checkBody(b).data as { hash: { value: string } }).hash.value, upper.data.hash.value);
    assert.deepEqual(b.indexKeys, a.indexKeys);
    assert.notEqual(hex(a.leafHash), hex(b.leafHash));
  });

  test('base64 with line breaks, a non-canonical PEM and unknown fields all canonicalize to the same body', () => {
    const der = Buffer.from(testKey('P-256').spki).toString('base64');
    const sloppyPem = `\n  junk before\n-----BEGIN PUBLIC KEY-----\n${der}\n-----END PUBLIC KEY-----\n\n`;
    const sloppy = {
      extra: true,
      data: { hash: { ...spec.data.hash, extra: 1 } },
      signature: { content: spec.signature.content.replace(/(.{10})/g, '$1\r\n'), publicKey: { content: b64(sloppyPem), url: 'ignored' } },
    };
    assert.deepEqual(canonicalizeHashedrekord(sloppy, ctx).body, canonicalizeHashedrekord(spec, ctx).body);
  });
});

describe('hashedrekord 0.0.1: production entries rebuild byte for byte', () => {
  interface Found {
    file: string;
    body: Buffer;
    uuid?: string;
  }
  const found: Found[] = [];
  before(() => {
    const walk = (node: unknown, file: string, uuid?: string): void => {
      if (Array.isArray(node)) node.forEach((n) => walk(n, file));
      else if (node !== null && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if ((k === 'body' || k === 'canonicalizedBody') && typeof v === 'string') found.push({ file, body: Buffer.from(v, 'base64'), ...(uuid ? { uuid } : {}) });
          else walk(v, file, /^[0-9a-f]{64,80}$/.test(k) ? k : undefined);
        }
      }
    };
    const dirs = ['entries'];
    while (dirs.length > 0) {
      const dir = dirs.pop() as string;
      for (const name of readdirNames(testdataPath(dir))) {
        const rel = `${dir}/${name}`;
        if (isDirectory(testdataPath(rel))) dirs.push(rel);
        else if (/\.(json|sigstore)$/.test(name)) walk(JSON.parse(readFileSync(testdataPath(rel), 'utf8')), rel);
      }
    }
  });

  // Logged before Rekor had an algorithm policy: P-384 keys with SHA-256 digests.
  const legacy = defaultTypeContext({ signingAlgorithms: [...ctx.signingAlgorithms, 'ecdsa-sha2-256-nistp384'] });
  const TAMPERED = 'entries/bundles/production-v1-invalid/conformance-incorrect-public-key_fail.sigstore.json';

  test('every hashedrekord 0.0.1 body', () => {
    let checked = 0;
    for (const { file, body, uuid } of found) {
      const parsed = JSON.parse(body.toString()) as { kind: string; apiVersion: string; spec: unknown };
      if (parsed.kind !== 'hashedrekord' || parsed.apiVersion !== '0.0.1') continue;
      checked++;
      if (file === TAMPERED) {
        expectError(parsed.spec, 'verifying signature: invalid signature when validating ASN.1 encoded signature', legacy);
        continue;
      }
      const entry = canonicalizeHashedrekord(parsed.spec, legacy);
      assert.equal(Buffer.from(entry.body).toString(), body.toString(), file);
      if (uuid !== undefined) assert.equal(hex(entry.leafHash), uuid.slice(-64), file);
      const strict = (() => {
        try {
          canonicalizeHashedrekord(parsed.spec, ctx);
          return 'accepted';
        } catch (err) {
          return (err as Error).message;
        }
      })();
      // Only P-384 keys with SHA-256 digests fall to today's default policy.
      const spec = parsed.spec as { data: { hash: { algorithm: string } }; signature: { publicKey: { content: string } } };
      const key = parseX509PublicKey(Buffer.from(spec.signature.publicKey.content, 'base64')).publicKey;
      const legacyPair = key.kind === 'ecdsa' && key.curve.name === 'P-384' && spec.data.hash.algorithm === 'sha256';
      assert.equal(strict, legacyPair ? 'entry algorithms are not allowed' : 'accepted', file);
    }
    assert.ok(checked >= 25, `only ${checked} production hashedrekord bodies found`);
  });
});

function readdirNames(path: string): string[] {
  return readdirSync(path).sort();
}
function isDirectory(path: string): boolean {
  return statSync(path).isDirectory();
}
