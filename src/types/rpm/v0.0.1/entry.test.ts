import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { parsePgpPublicKey } from '../../../pki/pgp/index.js';
import { repoRoot } from '../../../../test/testdata.js';
import type { CanonicalEntry } from '../../types.js';
import { canonicalizeRpm } from './entry.js';
import { createRpmFactory, layout, specOf, type RpmFactory, type Spec } from './testonly.js';
import { invalidEntryWith } from '../../../fuzz-testonly.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

async function expectError(spec: unknown, want: string | RegExp): Promise<void> {
  await assert.rejects(canonicalizeRpm(spec), invalidEntryWith(want));
}

const schema = JSON.parse(readFileSync(join(repoRoot, 'src/types/rpm/v0.0.1/rpm_v0_0_1_schema.json'), 'utf8')) as object;
const validateSpecSchema = new Ajv({ strict: false, validateFormats: false }).compile(schema);

/** What `rpm -qp` says of a package: the independent truth for the canonical headers. */
function query(rpm: Uint8Array): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'rekor-rpm-q-'));
  try {
    const file = join(dir, 'q.rpm');
    writeFileSync(file, rpm);
    const q = spawnSync('rpm', ['-qp', '--nosignature', '--qf', '%{NAME}|%{EPOCHNUM}|%{VERSION}|%{RELEASE}|%{ARCH}|%{SIGMD5}', file]);
    assert.equal(q.status, 0, q.stderr.toString());
    const [Name, Epoch, Version, Release, Architecture, md5] = q.stdout.toString().split('|') as string[];
    return { Architecture, Epoch, Name, RPMSIGTAG_MD5: md5, Release, Version } as Record<string, string>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Replaces every occurrence of `from` (same length) with `to`. */
function replaceAll(file: Uint8Array, from: string, to: string): Buffer {
  const out = Buffer.from(file);
  let at = out.indexOf(from);
  assert.ok(at >= 0, `${from} not found`);
  while (at >= 0) {
    out.write(to, at, 'latin1');
    at = out.indexOf(from, at + 1);
  }
  return out;
}

describe('rpm 0.0.1 with packages made by rpmbuild and rpmsign', () => {
  let factory: RpmFactory;
  let key: Uint8Array;
  let otherKey: Uint8Array;
  let edKey: Uint8Array;
  let unsigned: Uint8Array;
  let signed: Uint8Array;
  let signedV3: Uint8Array;
  let edSigned: Uint8Array;
  let withEpoch: Uint8Array;

  before(() => {
    factory = createRpmFactory();
    key = factory.addKey('RPM Signer <Signer@Example.com>', 'rsa2048');
    otherKey = factory.addKey('Other Signer <other@example.com>', 'rsa2048');
    edKey = factory.addKey('Ed Signer <ed@example.com>', 'ed25519');
    unsigned = factory.build();
    signed = factory.sign(unsigned, { signer: 'signer@example.com' });
    signedV3 = factory.sign(unsigned, { signer: 'signer@example.com', rpmv3: true });
    edSigned = factory.sign(unsigned, { signer: 'ed@example.com', rpmv3: true });
    withEpoch = factory.sign(factory.build({ name: 'epoch-pkg', epoch: 3, version: '0.9', release: '1.el9' }), { signer: 'signer@example.com' });
  });
  after(() => factory.dispose());

  async function accept(keyBytes: Uint8Array, rpm: Uint8Array, hash?: string): Promise<CanonicalEntry> {
    const entry = await canonicalizeRpm(specOf(keyBytes, rpm, hash));
    const canonicalKey = (await parsePgpPublicKey(keyBytes)).canonical;
    const text = Buffer.from(entry.body).toString();
    const headers = Object.entries(query(rpm))
      .map(([k, v]) => `"${k}":"${v}"`)
      .join(',');
    // The exact bytes Rekor stores: JCS order, no package content.
    assert.equal(
      text,
      `{"apiVersion":"0.0.1","kind":"rpm","spec":{"package":{"hash":{"algorithm":"sha256","value":"${sha256(rpm)}"},"headers":{${headers}}},"publicKey":{"content":"${b64(canonicalKey)}"}}}`,
    );
    const body = JSON.parse(text) as { spec: object };
    assert.ok(validateSpecSchema(body.spec), JSON.stringify(validateSpecSchema.errors));
    assert.equal(entry.kind, 'rpm');
    assert.equal(entry.apiVersion, '0.0.1');
    return entry;
  }

  test('header-only RSA signature (rpmsign default): accepted, body and index keys exact', async () => {
    const entry = await accept(key, signed);
    const canonicalKey = (await parsePgpPublicKey(key)).canonical;
    assert.deepEqual(entry.indexKeys, [sha256(canonicalKey), 'signer@example.com', `sha256:${sha256(signed)}`]);
  });

  test('header and header+payload signatures (rpmsign --rpmv3): accepted', async () => {
    await accept(key, signedV3);
  });

  test('EdDSA key: accepted', async () => {
    await accept(edKey, edSigned);
  });

  test('an epoch is reported as its number', async () => {
    const entry = await accept(key, withEpoch);
    assert.match(Buffer.from(entry.body).toString(), /"Epoch":"3","Name":"epoch-pkg","RPMSIGTAG_MD5":"[0-9a-f]{32}","Release":"1.el9","Version":"0.9"/);
  });

  test('a matching package.hash is accepted and gives the same entry', async () => {
    const plain = await canonicalizeRpm(specOf(key, signed));
    const hashed = await canonicalizeRpm(specOf(key, signed, sha256(signed)));
    assert.deepEqual(Buffer.from(hashed.body), Buffer.from(plain.body));
  });

  test('a keyring holding the signer among other keys is accepted', async () => {
    const keyring = Buffer.concat([otherKey, Buffer.from('\n'), key]);
    const entry = await canonicalizeRpm(specOf(keyring, signed));
    assert.ok(entry.indexKeys.includes('other@example.com'));
    assert.ok(entry.indexKeys.includes('signer@example.com'));
  });

  test('wrong key: refused, naming the signing key ID', async () => {
    const signerId = (await parsePgpPublicKey(key)).keys[0]?.getKeyID().toHex() ?? '';
    assert.match(signerId, /^[0-9a-f]{16}$/);
    await expectError(specOf(otherKey, signed), `keyid ${signerId.replace(/^0+(?=[0-9a-f]{8})/, '')} not found`);
    await expectError(specOf(edKey, signedV3), /^keyid [0-9a-f]{8,16} not found$/);
  });

  test('unsigned package: refused', async () => {
    await expectError(specOf(key, unsigned), 'no supported PGP signature found in RPM');
  });

  test('altered payload: refused by the payload digest', async () => {
    for (const rpm of [signed, signedV3]) {
      const altered = Buffer.from(rpm);
      altered[altered.length - 1] = (altered[altered.length - 1] ?? 0) ^ 1;
      await expectError(specOf(key, altered), 'payload SHA-256 digest mismatch');
    }
  });

  test('altered header: refused by the header digest', async () => {
    const at = layout(signed);
    const altered = Buffer.from(signed);
    const i = altered.indexOf('A package for rekor-ts tests.', at.mainDataStart);
    assert.ok(i > 0);
    altered[i] = 0x42;
    await expectError(specOf(key, altered), 'SHA-256 mismatch in signature header');
  });

  test('altered header with its digests recomputed: refused by the signature', async () => {
    for (const rpm of [signed, signedV3]) {
      const at = layout(rpm);
      const oldHeader = Buffer.from(rpm.subarray(at.mainStart, at.mainEnd));
      const newHeader = replaceAll(oldHeader, 'A package for rekor-ts tests.', 'A package for rekor-ts tosts.');
      let altered: Uint8Array = Buffer.concat([rpm.subarray(0, at.mainStart), newHeader, rpm.subarray(at.mainEnd)]);
      for (const alg of ['sha1', 'sha256']) {
        altered = replaceAll(altered, createHash(alg).update(oldHeader).digest('hex'), createHash(alg).update(newHeader).digest('hex'));
      }
      await expectError(specOf(key, altered), 'openpgp: invalid signature: RSA verification failure');
    }
  });

  /** Renumbers signature-header tags (the signature header itself is not signed or digested). */
  function retag(rpm: Uint8Array, mapping: Record<number, number>): Buffer {
    const at = layout(rpm);
    const out = Buffer.from(rpm);
    const count = out.readUInt32BE(at.sigStart + 8);
    for (let i = 0; i < count; i++) {
      const e = at.sigStart + 16 + i * 16;
      const to = mapping[out.readInt32BE(e)];
      if (to !== undefined) out.writeInt32BE(to, e);
    }
    return out;
  }

  test('each signature tag covers what go-rpmutils says: 268 the header, 1002/1005 header and payload', async () => {
    // Only the header+payload signature, under either of its tags: accepted.
    await canonicalizeRpm(specOf(key, retag(signedV3, { 268: 9268 })));
    await canonicalizeRpm(specOf(key, retag(signedV3, { 268: 9268, 1002: 1005 })));
    // The header+payload signature read as a header-only one (and the reverse) does not verify.
    await expectError(specOf(key, retag(signedV3, { 268: 9268, 1002: 268 })), 'openpgp: invalid signature: RSA verification failure');
    await expectError(specOf(key, retag(signed, { 268: 1002 })), 'openpgp: invalid signature: RSA verification failure');
    // A header-only signature under the DSA tag is read the same way.
    await canonicalizeRpm(specOf(key, retag(signed, { 268: 267 })));
    // Every signature present must verify: a good one does not excuse a bad one.
    const bad = retag(signedV3, { 1002: 268, 268: 1002 });
    await expectError(specOf(key, bad), 'openpgp: invalid signature: RSA verification failure');
  });

  test('altered signature packet: refused', async () => {
    const at = layout(signed);
    const view = Buffer.from(signed);
    const count = view.readUInt32BE(at.sigStart + 8);
    const dataStart = at.sigStart + 16 + count * 16;
    for (let i = 0; i < count; i++) {
      const e = at.sigStart + 16 + i * 16;
      if (view.readInt32BE(e) !== 268) continue;
      const end = dataStart + view.readInt32BE(e + 8) + view.readInt32BE(e + 12);
      view[end - 1] = (view[end - 1] ?? 0) ^ 0x01;
    }
    await expectError(specOf(key, view), 'openpgp: invalid signature: RSA verification failure');
  });

  test('truncated packages: refused, naming what is missing', async () => {
    const at = layout(signed);
    await expectError(specOf(key, signed.subarray(0, signed.length - 10)), 'payload SHA-256 digest mismatch');
    await expectError(specOf(key, signed.subarray(0, at.mainEnd - 10)), 'error reading RPM header data: unexpected EOF');
    await expectError(specOf(key, signed.subarray(0, at.mainStart + 8)), 'error reading RPM header: unexpected EOF');
    await expectError(specOf(key, signed.subarray(0, at.sigEnd - 3)), 'error reading RPM header data: unexpected EOF');
    await expectError(specOf(key, signed.subarray(0, 40)), 'error reading RPM lead: unexpected EOF');
  });

  test('not an RPM: refused', async () => {
    await expectError(specOf(key, Buffer.alloc(200, 0x41)), 'file is not an RPM');
  });

  test('package.hash must match the computed lower-case SHA-256', async () => {
    const h = sha256(signed);
    const other = sha256(unsigned);
    await expectError(specOf(key, signed, other), `SHA mismatch: ${h} != ${other}`);
    await expectError(specOf(key, signed, h.toUpperCase()), `SHA mismatch: ${h} != ${h.toUpperCase()}`);
    await expectError(specOf(key, signed, h.slice(1)), 'invalid value for hash');
    await expectError(specOf(key, signed, `${h.slice(1)}g`), 'invalid value for hash');
  });

  test('spec problems: Rekor messages', async () => {
    const spec = specOf(key, signed);
    const pkg = spec['package'] as Spec;
    const pk = spec['publicKey'] as Spec;
    await expectError([], 'unsupported input type []interface {} for DecodeEntry');
    await expectError({}, 'validation failure list:\npackage in body is required\npublicKey in body is required');
    await expectError({ package: pkg }, 'validation failure list:\npublicKey in body is required');
    await expectError({ package: pkg, publicKey: {} }, 'validation failure list:\npublicKey.publicKey.content in body is required');
    await expectError({ publicKey: pk, package: { ...pkg, hash: { value: sha256(signed) } } }, 'validation failure list:\npackage.package.hash.package.hash.algorithm in body is required');
    await expectError({ publicKey: pk, package: { ...pkg, hash: { algorithm: 'sha512', value: sha256(signed) } } }, 'validation failure list:\npackage.package.hash.package.hash.algorithm in body should be one of [sha256]');
    await expectError({ publicKey: pk, package: { ...pkg, hash: { algorithm: 'sha256' } } }, 'validation failure list:\npackage.package.hash.package.hash.value in body is required');
    await expectError({ publicKey: pk, package: {} }, "'content' must be specified for package");
    await expectError({ publicKey: pk, package: { hash: { algorithm: 'sha256', value: sha256(signed) } } }, 'entry not insertable into log: missing package content');
    await expectError({ publicKey: pk, package: { content: 'not base64!' } }, 'failed parsing base64 data for package content: illegal base64 data at input byte 3');
    await expectError({ publicKey: { content: '@@@@' }, package: pkg }, 'failed parsing base64 data for publicKey content: illegal base64 data at input byte 0');
    // The key is parsed (and refused) before the package is looked at, as in Rekor.
    await expectError({ publicKey: { content: b64(Buffer.from('not a key at all')) }, package: { content: b64(Buffer.from('not an rpm')) } }, /^error reading binary PGP public key: /u);
  });

  test('url members are refused: the server never fetches', async () => {
    const spec = specOf(key, signed);
    await expectError({ ...spec, package: { url: 'https://example.com/x.rpm' } }, /^package\.url: fetching URLs is not enabled on this server/u);
    await expectError({ ...spec, publicKey: { url: 'https://example.com/key.asc' } }, /^publicKey\.url: fetching URLs is not enabled on this server/u);
  });
});
