import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { isRekorError, type RekorErrorCode } from '../errors.js';
import { testdataPath } from '../../test/testdata.js';
import { TypeRegistry, defaultRegistry, publicKeySearchKey, SEARCH_KEY_FORMATS, defaultTypeContext } from './index.js';
import type { EntryKind } from './types.js';

const ctx = defaultTypeContext();
const proposed = JSON.parse(readFileSync(testdataPath('artifacts', 'proposed-entries', 'models-hashedrekord.json'), 'utf8')) as {
  kind: string;
  apiVersion: string;
  spec: unknown;
};

async function rejects(promise: Promise<unknown>, code: RekorErrorCode, message: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isRekorError(err, code), `got ${String(err)}`);
    assert.equal(err.message, message);
    return true;
  });
}

const fakeKind = (kind: string, behaviour: () => never, insertable = true): EntryKind => ({
  kind,
  defaultVersion: '0.0.1',
  versions: [
    {
      apiVersion: '0.0.1',
      async canonicalize() {
        return behaviour();
      },
    },
    { apiVersion: '0.0.2', insertable, canonicalize: async () => behaviour() },
  ],
});

describe('TypeRegistry', () => {
  test('default registry: every implemented kind; hashedrekord canonicalized through the registry', async () => {
    const registry = defaultRegistry({});
    assert.deepEqual(registry.kinds(), ['alpine', 'cose', 'dsse', 'hashedrekord', 'helm', 'intoto', 'jar', 'rekord', 'rfc3161', 'rpm', 'tuf']);
    const entry = await registry.canonicalizeProposed(proposed.kind, proposed.apiVersion, proposed.spec, ctx);
    assert.equal(Buffer.from(entry.leafHash).toString('hex'), 'ae0c1d54f8d749c53e31cf2db1d9e95f8409f99ea2dc6e5760d3a111e96bf64c');
    assert.equal(entry.kind, 'hashedrekord');
    assert.equal(entry.apiVersion, '0.0.1');
  });

  const cases: Array<{ name: string; registry: () => TypeRegistry; kind: string; version: string; code: RekorErrorCode; wantErr: string }> = [
    { name: 'kind not implemented', registry: () => defaultRegistry({}), kind: 'notakind', version: '0.0.1', code: 'invalid_entry', wantErr: "could not unmarshal entry for kind 'notakind'" },
    {
      name: 'unknown version',
      registry: () => defaultRegistry({}),
      kind: 'hashedrekord',
      version: '0.0.2',
      code: 'invalid_entry',
      wantErr: "hashedrekord implementation for version '0.0.2' not found: unable to locate entry for version 0.0.2",
    },
    {
      name: 'kind switched off',
      registry: () => defaultRegistry({ enabledKinds: ['rekord'] }),
      kind: 'hashedrekord',
      version: '0.0.1',
      code: 'invalid_entry',
      wantErr: "entry kind 'hashedrekord' is not enabled for submission on this server",
    },
    {
      name: 'version kept for reading only',
      registry: () => new TypeRegistry([fakeKind('fake', () => assert.fail('must not run'), false)]),
      kind: 'fake',
      version: '0.0.2',
      code: 'invalid_entry',
      wantErr: "entry kind 'fake' does not support inserting entries of version '0.0.2'",
    },
    {
      name: 'a bug in a kind becomes an internal error',
      registry: () => new TypeRegistry([fakeKind('fake', () => { throw new TypeError('boom'); })]),
      kind: 'fake',
      version: '0.0.1',
      code: 'internal',
      wantErr: 'canonicalizing fake 0.0.1: boom',
    },
  ];
  for (const c of cases) {
    test(c.name, async () => rejects(c.registry().canonicalizeProposed(c.kind, c.version, proposed.spec, ctx), c.code, c.wantErr));
  }

  test('construction checks', () => {
    const bad = (fn: () => unknown, code: RekorErrorCode) => assert.throws(fn, (err: unknown) => isRekorError(err, code));
    bad(() => defaultRegistry({ enabledKinds: ['hashedrekord', 'nonsense'] }), 'bad_request');
    bad(() => new TypeRegistry([fakeKind('a', () => assert.fail()), fakeKind('a', () => assert.fail())]), 'internal');
    bad(() => new TypeRegistry([{ ...fakeKind('a', () => assert.fail()), defaultVersion: '9.9.9' }]), 'internal');
    assert.equal(defaultRegistry({ enabledKinds: [] }).isEnabled('hashedrekord'), false);
  });
});

describe('type context', () => {
  test('defaults to Rekor flags and validates names', () => {
    assert.ok(ctx.signingAlgorithms.includes('ecdsa-sha2-256-nistp256'));
    assert.ok(!ctx.signingAlgorithms.includes('rsa-sign-pss-2048-sha256'));
    assert.equal(ctx.limits.maxChainCertificates, 10);
    assert.equal(ctx.limits.maxTimestampResponseSize, 10 * 1024);
    assert.equal(defaultTypeContext({ limits: { maxTimestampResponseSize: 4096 } }).limits.maxTimestampResponseSize, 4096);
    assert.throws(() => defaultTypeContext({ signingAlgorithms: ['nope'] }), (err: unknown) => isRekorError(err, 'bad_request'));
    assert.throws(() => defaultTypeContext({ limits: { maxChainCertificates: 0 } }), (err: unknown) => isRekorError(err, 'bad_request'));
    assert.throws(() => defaultTypeContext({ limits: { maxTimestampResponseSize: 0 } }), (err: unknown) => isRekorError(err, 'bad_request'));
    assert.throws(() => defaultTypeContext({ limits: { maxTimestampResponseSize: 1.5 } }), (err: unknown) => isRekorError(err, 'bad_request'));
    assert.equal(ctx.limits.maxApkMetadataSize, 1 << 20);
    assert.equal(defaultTypeContext({ limits: { maxApkMetadataSize: 0 } }).limits.maxApkMetadataSize, 0);
    assert.throws(() => defaultTypeContext({ limits: { maxApkMetadataSize: -1 } }), (err: unknown) => isRekorError(err, 'bad_request'));
    assert.equal(ctx.limits.maxJarMetadataSize, 1024 * 1024);
    assert.equal(defaultTypeContext({ limits: { maxJarMetadataSize: 0 } }).limits.maxJarMetadataSize, 0, '0 = unlimited, as in Rekor');
    for (const bad of [-1, 1.5, Number.NaN]) {
      assert.throws(() => defaultTypeContext({ limits: { maxJarMetadataSize: bad } }), (err: unknown) => isRekorError(err, 'bad_request'));
    }
  });
});

describe('publicKeySearchKey', () => {
  const spec = proposed.spec as { signature: { publicKey: { content: string } } };
  const pem = Buffer.from(spec.signature.publicKey.content, 'base64');

  test('x509: SHA-256 of the canonical key, the same key hashedrekord indexes', async () => {
    assert.deepEqual([...SEARCH_KEY_FORMATS].sort(), ['minisign', 'pgp', 'ssh', 'tuf', 'x509']);
    assert.equal(await publicKeySearchKey('x509', pem), '8df5ca9ca33f0976ba306b56b00ab043101596f3e3f815ef3e23d5c49be330f1');
    assert.equal(await publicKeySearchKey('x509', pem), createHash('sha256').update(pem).digest('hex'));
  });

  test('unsupported format and unparsable key', async () => {
    await rejects(publicKeySearchKey('pkcs7', pem), 'bad_request', 'the PKI format requested is not supported by this server');
    await rejects(publicKeySearchKey('x509', Buffer.from('junk')), 'invalid_entry', 'invalid public key: failure decoding PEM');
  });
});
