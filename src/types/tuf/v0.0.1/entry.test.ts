import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import canonicalizeModule from 'canonicalize';
import { Metadata, MetadataKind } from '@tufjs/models';
import { tufSearchKey } from '../../../pki/tuf/index.js';
import { repoRoot, testdataPath } from '../../../../test/testdata.js';
import { defaultRegistry, defaultTypeContext } from '../../index.js';
import type { CanonicalEntry } from '../../types.js';
import { canonicalizeTuf } from './entry.js';
import { ecdsaKey, ed25519Key, legacyEcdsaKey, resign, rootFromJson, rootSigned, rsaKey, signEnvelope, timestampSigned, tufSpec, type Json, type TestKey } from './testonly.js';
import { invalidEntryWith } from '../../../fuzz-testonly.js';

type Jcs = (input: unknown) => string | undefined;
const loaded = canonicalizeModule as unknown as Jcs | { default: Jcs };
const jcs: Jcs = typeof loaded === 'function' ? loaded : loaded.default;

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const at = (iso: string) => ({ now: () => new Date(iso) });
const NOW = at('2030-01-01T00:00:00Z');
const fixture = (name: string) => JSON.parse(readFileSync(testdataPath('artifacts', 'tuf', name), 'utf8')) as Json;
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function expectError(spec: unknown, want: string | RegExp, ctx = NOW): void {
  assert.throws(
    () => canonicalizeTuf(spec, ctx),
    invalidEntryWith(want),
  );
}

const schema = JSON.parse(readFileSync(join(repoRoot, 'src/types/tuf/v0.0.1/tuf_v0_0_1_schema.json'), 'utf8')) as object;
const validateSpecSchema = new Ajv({ strict: false, validateFormats: false }).compile(schema);

interface Body {
  metadata: { content: string };
  root: { content: string };
  spec_version?: string;
}

/** Checks the body's shape and returns the decoded canonical metadata and root texts. */
function checkBody(entry: CanonicalEntry): { metadata: string; root: string; specVersion: string | undefined } {
  const body = JSON.parse(Buffer.from(entry.body).toString()) as { apiVersion: string; kind: string; spec: Body };
  assert.deepEqual(Object.keys(body), ['apiVersion', 'kind', 'spec']);
  assert.equal(body.kind, 'tuf');
  assert.equal(typeof body.spec.metadata.content, 'string');
  // The schema types `content` as an object while Rekor stores base64 strings; only the outline is checked.
  assert.ok(validateSpecSchema({ ...body.spec, metadata: { content: {} }, root: { content: {} } }), JSON.stringify(validateSpecSchema.errors));
  return {
    metadata: Buffer.from(body.spec.metadata.content, 'base64').toString(),
    root: Buffer.from(body.spec.root.content, 'base64').toString(),
    specVersion: body.spec.spec_version,
  };
}

/** What Rekor stores for an envelope: JCS of only `signatures` and `signed`. */
const canonical = (envelope: Json) => jcs({ signatures: envelope['signatures'], signed: envelope['signed'] }) as string;

describe('tuf 0.0.1: Rekor\'s fixtures', () => {
  const root = fixture('pki-1.root.json');
  const timestamp = fixture('pki-timestamp.json');
  const before = at('2022-06-01T00:00:00Z');

  test('a timestamp verified by its root (while neither has expired): body and index keys', () => {
    const entry = canonicalizeTuf(tufSpec(timestamp, root), before);
    const body = checkBody(entry);
    assert.equal(body.metadata, canonical(timestamp));
    assert.equal(body.root, canonical(root));
    assert.equal(body.specVersion, '1.0');
    assert.deepEqual(entry.indexKeys, [sha256(canonical(timestamp)), 'timestamp', '53', sha256(canonical(root))]);
  });

  test('base64 contents give the same entry; through the registry too', async () => {
    const b64 = (name: string) => readFileSync(testdataPath('artifacts', 'tuf', name)).toString('base64');
    const direct = canonicalizeTuf(tufSpec(timestamp, root), before);
    assert.deepEqual(canonicalizeTuf(tufSpec(b64('pki-timestamp.json'), b64('pki-1.root.json')), before), direct);
    const ctx = defaultTypeContext({ now: () => new Date('2022-06-01T00:00:00Z') });
    assert.deepEqual(await defaultRegistry({}).canonicalizeProposed('tuf', '0.0.1', tufSpec(timestamp, root), ctx), direct);
  });

  test('a root as a search key: the same digest the entry indexes, after the same checks', () => {
    const bytes = readFileSync(testdataPath('artifacts', 'tuf', 'pki-1.root.json'));
    assert.equal(tufSearchKey(bytes, new Date('2022-06-01T00:00:00Z')), sha256(canonical(root)));
    assert.throws(() => tufSearchKey(bytes, new Date('2024-01-01T00:00:00Z')), /expired at 2023-04-18 18:13:43 \+0000 UTC/);
    assert.throws(() => tufSearchKey(readFileSync(testdataPath('artifacts', 'tuf', 'pki-timestamp.json')), new Date('2022-06-01T00:00:00Z')), /unknown role "root"/);
  });

  test('a re-serialized root is the same root', () => {
    const reformatted = fixture('pki-reformat.1.root.json');
    const a = canonicalizeTuf(tufSpec(root, root), before);
    const b = canonicalizeTuf(tufSpec(reformatted, reformatted), before);
    assert.deepEqual(b.body, a.body);
    assert.deepEqual(a.indexKeys, [sha256(canonical(root)), 'root', '5']);
  });

  test('the legacy hex ECDSA keys of the type tests', () => {
    const entry = canonicalizeTuf(tufSpec(fixture('type-test_timestamp.json'), fixture('type-test_root.json')), at('2021-06-01T00:00:00Z'));
    assert.deepEqual(entry.indexKeys.slice(1, 3), ['timestamp', '1']);
  });

  test('the Sigstore production root verifies itself, as @tufjs/models agrees', () => {
    const production = fixture('sigstore-production-root.json');
    const entry = canonicalizeTuf(tufSpec(production, production), at('2026-06-01T00:00:00Z'));
    assert.deepEqual(entry.indexKeys.slice(1), ['root', '15']);
    const md = Metadata.fromJSON(MetadataKind.Root, production as never);
    md.verifyDelegate('root', md);
  });

  test('expiry is checked against the context clock, root first', () => {
    expectError(tufSpec(timestamp, root), 'expired at 2023-04-18 18:13:43 +0000 UTC', at('2024-01-01T00:00:00Z'));
    expectError(tufSpec(timestamp, root), 'expired at 2022-11-03 21:10:23 +0000 UTC', at('2023-01-01T00:00:00Z'));
    expectError(tufSpec(fixture('type-test_timestamp.json'), fixture('type-test_root.json')), 'expired at 2021-12-18 13:28:12.99008 -0600 -0600');
  });

  test('the wrong root, an unsigned root, and envelopes that are not TUF', () => {
    expectError(tufSpec(timestamp, fixture('pki-other_root.json')), 'tuf: valid signatures did not meet threshold', before);
    expectError(tufSpec(timestamp, fixture('pki-unsigned_root.json')), 'tuf: valid signatures did not meet threshold', at('2021-01-01T00:00:00Z'));
    expectError(tufSpec(fixture('pki-bogus.json'), root), 'unexpected end of JSON input', before);
    expectError(tufSpec(timestamp, fixture('type-test_any.json')), 'unexpected end of JSON input', before);
    // The root as metadata and the timestamp as root: the timestamp has no root role.
    expectError(tufSpec(root, timestamp), 'tuf: unknown role "root"', before);
  });
});

describe('tuf 0.0.1: metadata signed by @tufjs/models with node:crypto keys', () => {
  const [rootKey, root2, root3, tsKey, snapKey] = [ed25519Key(), ecdsaKey(), rsaKey(), ecdsaKey('P-384'), legacyEcdsaKey()] as [TestKey, TestKey, TestKey, TestKey, TestKey];
  const rootJson = (signers: readonly TestKey[] = [rootKey, root2], threshold = 2) =>
    signEnvelope(rootSigned({ keys: { root: [rootKey, root2, root3], timestamp: [tsKey], snapshot: [snapKey], targets: [rootKey] }, thresholds: { root: threshold } }), signers);
  const root = rootJson();

  test('Ed25519, ECDSA P-256/P-384 (PEM and legacy hex) and RSA-PSS keys', () => {
    const ts = signEnvelope(timestampSigned(), [tsKey]);
    const entry = canonicalizeTuf(tufSpec(ts, root), NOW);
    assert.deepEqual(entry.indexKeys, [sha256(canonical(ts)), 'timestamp', '7', sha256(canonical(root))]);
    assert.equal(checkBody(entry).metadata, canonical(ts));
    // The other two root keys meet the threshold as well.
    canonicalizeTuf(tufSpec(ts, rootJson([root2, root3])), NOW);
    // The legacy hex key signs for the snapshot role.
    const snapshot = resign({ ...(ts['signed'] as Json), _type: 'snapshot' }, snapKey);
    assert.deepEqual(canonicalizeTuf(tufSpec(snapshot, root), NOW).indexKeys.slice(1, 3), ['snapshot', '7']);
  });

  test('threshold not met: one of two root signatures, or one key under two IDs', () => {
    expectError(tufSpec(root, rootJson([rootKey])), 'tuf: valid signatures did not meet threshold');
    const twice = clone(rootJson([rootKey]));
    const signed = twice['signed'] as { keys: Record<string, unknown>; roles: { root: { keyids: string[] } } };
    signed.keys['alias'] = signed.keys[rootKey.id];
    signed.roles.root.keyids.push('alias');
    // Control: the changed root verifies when two distinct keys sign it.
    const control = signEnvelope(rootFromJson(signed), [rootKey, root2]);
    canonicalizeTuf(tufSpec(control, control), NOW);
    // Re-sign the changed root with the same key under both IDs.
    const resigned = signEnvelope(rootFromJson(signed), [rootKey]);
    const sig = (resigned['signatures'] as Array<{ keyid: string; sig: string }>)[0] as { keyid: string; sig: string };
    resigned['signatures'] = [sig, { keyid: 'alias', sig: sig.sig }];
    expectError(tufSpec(resigned, resigned), 'tuf: valid signatures did not meet threshold');
  });

  test('a tampered signed field no longer verifies', () => {
    const ts = clone(signEnvelope(timestampSigned(), [tsKey]));
    (ts['signed'] as { version: number }).version = 8;
    expectError(tufSpec(ts, root), 'tuf: valid signatures did not meet threshold');
    const tamperedRoot = clone(root);
    (tamperedRoot['signed'] as { expires: string }).expires = '2101-01-01T00:00:00Z';
    expectError(tufSpec(signEnvelope(timestampSigned(), [tsKey]), tamperedRoot), 'tuf: valid signatures did not meet threshold');
  });

  test('the wrong root, or a key of another role', () => {
    const otherRoot = signEnvelope(rootSigned({ keys: { root: [root3], timestamp: [snapKey] } }), [root3]);
    expectError(tufSpec(signEnvelope(timestampSigned(), [tsKey]), otherRoot), 'tuf: valid signatures did not meet threshold');
    expectError(tufSpec(signEnvelope(timestampSigned(), [snapKey]), root), 'tuf: valid signatures did not meet threshold');
  });

  test('bad roles: unknown, or a custom role signing non-targets metadata', () => {
    const ts = signEnvelope(timestampSigned(), [tsKey]);
    const mirror = { signatures: ts['signatures'], signed: { ...(ts['signed'] as Json), _type: 'mirror' } };
    expectError(tufSpec(mirror, root), 'tuf: unknown role "mirror"');
    const withRelease = clone(root['signed']) as { roles: Record<string, unknown> };
    withRelease.roles['release'] = { keyids: [tsKey.id], threshold: 1 };
    const releaseRoot = signEnvelope(rootFromJson(withRelease), [rootKey, root2]);
    const release = resign({ ...(ts['signed'] as Json), _type: 'release' }, tsKey);
    expectError(tufSpec(release, releaseRoot), 'tuf: meta file has wrong type');
    // Roles are looked up by the exact `_type`.
    expectError(tufSpec(resign({ ...(ts['signed'] as Json), _type: 'TIMESTAMP' }, tsKey), root), 'tuf: unknown role "TIMESTAMP"');
    expectError(tufSpec(resign({ ...(ts['signed'] as Json), version: -1 }, tsKey), root), 'version -1 is lower than current version 0');
  });

  test('broken roots', () => {
    const ts = signEnvelope(timestampSigned(), [tsKey]);
    const variant = (edit: (signed: { keys: Record<string, unknown>; roles: Record<string, { threshold: number } | null> }) => void) => {
      const signed = clone(root['signed']) as Parameters<typeof edit>[0];
      edit(signed);
      return { signatures: root['signatures'], signed };
    };
    expectError(tufSpec(ts, variant((s) => (s.keys[rootKey.id] = null))), 'tuf root contains nil key');
    expectError(tufSpec(ts, variant((s) => (s.roles['targets'] = null))), 'tuf root contains nil role');
    expectError(tufSpec(ts, variant((s) => ((s.roles['snapshot'] as { threshold: number }).threshold = 0))), 'tuf: invalid role threshold');
    expectError(tufSpec(ts, variant((s) => (s.keys[rootKey.id] = { keytype: 'dsa', scheme: 'x', keyval: { public: '00' } }))), 'invalid key');
    expectError(tufSpec(ts, variant((s) => (s.keys[rootKey.id] = { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: 'abcd' } }))), 'tuf: error unmarshalling key: tuf: unexpected public key length for ed25519 key, expected 32, got 2');
    expectError(tufSpec(ts, variant((s) => (s.keys[rootKey.id] = { keytype: 'ecdsa', scheme: 'x', keyval: { public: 'not pem' } }))), 'tuf: error unmarshalling key: tuf: invalid JSON hex bytes');
    expectError(tufSpec(ts, variant((s) => (s.keys[rootKey.id] = { keytype: 'rsa', scheme: 'x', keyval: { public: 'not pem' } }))), 'tuf: error unmarshalling key: invalid PEM value');
    expectError(tufSpec(ts, variant((s) => (s.keys[rootKey.id] = { keytype: 'rsa', scheme: 'x', keyval: { public: (root2.key.keyVal as { public: string }).public } }))), 'tuf: error unmarshalling key: invalid public key');
    expectError(tufSpec(ts, { ...root, signatures: [] }), 'tuf: data has no signatures');
    expectError(tufSpec(ts, { ...root, signatures: [{ keyid: rootKey.id, sig: 'xyz1' }] }), "encoding/hex: invalid byte: U+0078 'x'");
    expectError(tufSpec(ts, { ...root, signatures: [{ keyid: rootKey.id, sig: 'abc' }] }), 'tuf: invalid JSON hex bytes');
    expectError(tufSpec(ts, { ...root, signatures: {} }), 'json: cannot unmarshal object into Go struct field Signed.signatures of type []data.Signature');
  });

  test('a root without spec_version: the body has none', () => {
    const signed = clone(root['signed']) as Json;
    delete signed['spec_version'];
    const bare = resign(signed, rootKey, root2);
    const entry = canonicalizeTuf(tufSpec(signEnvelope(timestampSigned(), [tsKey]), bare), NOW);
    assert.equal(checkBody(entry).specVersion, undefined);
    assert.ok(!Buffer.from(entry.body).toString().includes('spec_version'));
  });

  test('what Rekor keeps of an envelope: signatures (keyid, lower-case sig) and signed only', () => {
    const ts = signEnvelope(timestampSigned(), [tsKey]);
    const signatures = ts['signatures'] as Array<{ keyid: string; sig: string }>;
    const noisy = { ...ts, comment: 'dropped', signatures: signatures.map((s) => ({ ...s, sig: s.sig.toUpperCase(), method: 'dropped' })) };
    const entry = canonicalizeTuf(tufSpec(noisy, root), NOW);
    assert.equal(checkBody(entry).metadata, canonical(ts));
    assert.deepEqual(entry.body, canonicalizeTuf(tufSpec(ts, root), NOW).body);
  });
});

describe('tuf 0.0.1: the spec as Rekor reads it', () => {
  const list = (...lines: string[]) => ['validation failure list:', ...lines].join('\n');
  const root = fixture('pki-1.root.json');

  test('schema errors with go-openapi names', () => {
    expectError([], 'unsupported input type []interface {} for DecodeEntry');
    expectError({}, list('metadata in body is required', 'root in body is required'));
    expectError({ metadata: {}, root: { content: null } }, list('metadata.metadata.content in body is required', 'root.root.content in body is required'));
    expectError({ metadata: 'x', root: { content: root } }, list('metadata in body is required'));
  });

  test('contents that are not envelopes', () => {
    expectError(tufSpec('!!', root), 'base64 decoding TUF metadata content: illegal base64 data at input byte 0');
    expectError(tufSpec(root, 'e30'), 'base64 decoding TUF root content: illegal base64 data at input byte 0');
    expectError(tufSpec(Buffer.from('not json').toString('base64'), root), /^invalid JSON: /);
    expectError(tufSpec(Buffer.from('\ufeff{}').toString('base64'), root), /^invalid JSON: /);
    expectError(tufSpec(5, root), 'json: cannot unmarshal number into Go value of type data.Signed');
    expectError(tufSpec({ signed: 'x', signatures: [] }, root), 'json: cannot unmarshal string into Go value of type tuf.signedMeta');
    expectError(tufSpec({ signed: { expires: 'tomorrow' } }, root), /^parsing time /);
    expectError(tufSpec({ signed: { version: 1.5 } }, root), 'json: cannot unmarshal number 1.5 into Go struct field signedMeta.version of type int');
    let deep: unknown = {};
    for (let i = 0; i < 10_000; i++) deep = { signed: deep };
    expectError(tufSpec(deep, root), 'TUF metadata is nested more than 256 levels deep');
  });
});
