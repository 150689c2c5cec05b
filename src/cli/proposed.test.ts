/**
 * The proposed entries upload and verify build from files: each kind's JSON matches its Rekor
 * schema, carries the file contents byte for byte, and (for the kinds this build implements)
 * canonicalizes on the server side to an accepted entry.
 */
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { signArtifact, signedStatement } from '../../test/entries.js';
import { sharedDir } from '../../test/testdata.js';
import { defaultRegistry } from '../types/registry.js';
import { defaultTypeContext } from '../types/types.js';
import { CliError } from './errors.js';
import { buildProposedEntry, parseSha, parseTypeFlag, type ArtifactProps } from './proposed.js';

const io = { allowUrls: false, timeoutMs: 1000 };
const ajv = new Ajv({ strict: false, validateFormats: false });

function assertSchema(kind: string, version: string, spec: unknown): void {
  const file = join(sharedDir, 'spec', 'rekor-v1', 'types', kind, `v${version}`, `${kind}_v${version.replace(/\./g, '_')}_schema.json`);
  const validate = ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object);
  assert.ok(validate(spec), `${kind} ${version}: ${JSON.stringify(validate.errors)}`);
}

const b64 = (b: Uint8Array | string): string => Buffer.from(b).toString('base64');

describe('proposed entries built from files', () => {
  let dir: string;
  const file = (name: string, content: string | Uint8Array): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rekor-cli-proposed-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const canonicalize = (e: { kind: string; apiVersion: string; spec: unknown }) =>
    defaultRegistry().canonicalizeProposed(e.kind, e.apiVersion, e.spec, defaultTypeContext());

  it('hashedrekord: hashes the artifact with SHA-256, or takes --artifact-hash, and the server accepts it', async () => {
    const signed = signArtifact();
    const props: ArtifactProps = { artifact: file('a.bin', signed.artifact), signature: file('a.sig', signed.signature), publicKeys: [file('a.pem', signed.publicKeyPem)], pkiFormat: 'x509' };
    const entry = await buildProposedEntry('hashedrekord', undefined, props, io);
    assert.deepEqual(entry.spec, {
      data: { hash: { algorithm: 'sha256', value: signed.digestHex } },
      signature: { content: b64(signed.signature), publicKey: { content: b64(signed.publicKeyPem) } },
    });
    assertSchema('hashedrekord', '0.0.1', entry.spec);
    await canonicalize(entry);
    const byHash = await buildProposedEntry('hashedrekord', undefined, { ...props, artifact: undefined as never, artifactHash: `sha256:${signed.digestHex.toUpperCase()}` }, io);
    assert.deepEqual(byHash.spec, entry.spec);
    await assert.rejects(buildProposedEntry('hashedrekord', undefined, { ...props, pkiFormat: 'pgp' }, io), /only be created for artifacts signed with x509/);
    await assert.rejects(buildProposedEntry('hashedrekord', undefined, { ...props, publicKeys: [] }, io), /only one public key must be provided/);
  });

  it('rekord: inlines artifact, signature and key with the pki format', async () => {
    const signed = signArtifact();
    const props: ArtifactProps = { artifact: file('r.bin', signed.artifact), signature: file('r.sig', signed.signature), publicKeys: [file('r.pem', signed.publicKeyPem)], pkiFormat: 'x509' };
    const entry = await buildProposedEntry('rekord', undefined, props, io);
    assert.deepEqual(entry.spec, { data: { content: b64(signed.artifact) }, signature: { content: b64(signed.signature), format: 'x509', publicKey: { content: b64(signed.publicKeyPem) } } });
    assertSchema('rekord', '0.0.1', entry.spec);
    await canonicalize(entry);
  });

  it('dsse and intoto: match each signature to the key that verifies it; intoto 0.0.2 double-base64s payload and sig', async () => {
    const stmt = signedStatement();
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const envelope = JSON.stringify({ payload: b64(stmt.payload), payloadType: 'application/vnd.in-toto+json', signatures: [{ sig: b64(stmt.signature), keyid: '' }] });
    const props: ArtifactProps = { artifact: file('env.json', envelope), publicKeys: [file('other.pem', other), file('k.pem', stmt.publicKeyPem)], pkiFormat: 'x509' };

    const dsse = await buildProposedEntry('dsse', undefined, props, io);
    assert.deepEqual(dsse.spec, { proposedContent: { envelope, verifiers: [b64(stmt.publicKeyPem)] } });
    assertSchema('dsse', '0.0.1', dsse.spec);
    await canonicalize(dsse);

    const v2 = await buildProposedEntry('intoto', undefined, props, io);
    assert.equal(v2.apiVersion, '0.0.2');
    assert.deepEqual(v2.spec, {
      content: {
        envelope: { payload: b64(b64(stmt.payload)), payloadType: 'application/vnd.in-toto+json', signatures: [{ publicKey: b64(stmt.publicKeyPem), sig: b64(b64(stmt.signature)) }] },
        hash: { algorithm: 'sha256', value: createHash('sha256').update(envelope).digest('hex') },
      },
    });
    assertSchema('intoto', '0.0.2', v2.spec);
    await canonicalize(v2);

    const v1 = await buildProposedEntry('intoto', '0.0.1', { ...props, publicKeys: [props.publicKeys[1] as string] }, io);
    assert.deepEqual(v1.spec, { content: { envelope, hash: { algorithm: 'sha256', value: createHash('sha256').update(envelope).digest('hex') } }, publicKey: b64(stmt.publicKeyPem) });
    assertSchema('intoto', '0.0.1', v1.spec);

    await assert.rejects(buildProposedEntry('dsse', undefined, { ...props, publicKeys: [props.publicKeys[0] as string] }, io), /could not verify envelope signature 0/);
  });

  it('cose, rpm, alpine, helm, jar, rfc3161, tuf: content per their schemas', async () => {
    const bytes = Buffer.from([0xd2, 0x84, 0x43, 0xa1, 0x01, 0x26, 0x00, 0xff]);
    const key = file('pkg.key', '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxx\n-----END PGP PUBLIC KEY BLOCK-----\n');
    const artifact = file('pkg.bin', bytes);
    const props: ArtifactProps = { artifact, publicKeys: [key], pkiFormat: 'x509' };
    const keyB64 = b64(readFileSync(key));
    const want: Record<string, unknown> = {
      cose: { data: { aad: 'YWFk' }, message: b64(bytes), publicKey: keyB64 },
      rpm: { package: { content: b64(bytes) }, publicKey: { content: keyB64 } },
      alpine: { package: { content: b64(bytes) }, publicKey: { content: keyB64 } },
      helm: { chart: { provenance: { content: b64(bytes) } }, publicKey: { content: keyB64 } },
      jar: { archive: { content: b64(bytes) } },
      rfc3161: { tsr: { content: b64(bytes) } },
    };
    for (const [kind, spec] of Object.entries(want)) {
      const entry = await buildProposedEntry(kind, undefined, { ...props, aad: 'YWFk' }, io);
      assert.deepEqual(entry, { apiVersion: '0.0.1', kind, spec }, kind);
      assertSchema(kind, '0.0.1', entry.spec);
    }
    const noAad = await buildProposedEntry('cose', undefined, props, io);
    assert.deepEqual(noAad.spec['data'], {});
    const root = { signed: { _type: 'root', version: 1 }, signatures: [] };
    const targets = { signed: { _type: 'targets', version: 2 }, signatures: [] };
    const tuf = await buildProposedEntry('tuf', undefined, { artifact: file('targets.json', JSON.stringify(targets)), publicKeys: [file('root.json', JSON.stringify(root))], pkiFormat: 'tuf' }, io);
    assert.deepEqual(tuf.spec, { metadata: { content: targets }, root: { content: root } });
    assertSchema('tuf', '0.0.1', tuf.spec);
    await assert.rejects(buildProposedEntry('rfc3161', undefined, { ...props, artifact: 'https://example.com/x.tsr' }, io), /cannot be fetched over HTTP/);
  });

  it('refuses URLs unless asked', async () => {
    await assert.rejects(
      buildProposedEntry('rekord', undefined, { artifact: 'https://example.com/a', signature: 'x', publicKeys: ['y'], pkiFormat: 'x509' }, io),
      (err: unknown) => err instanceof CliError && err.exitCode === 2 && /--allow-urls/.test(err.message),
    );
  });

  it('parses --type and hash flags like Rekor', () => {
    assert.deepEqual(parseTypeFlag('intoto'), { kind: 'intoto' });
    assert.deepEqual(parseTypeFlag('intoto:0.0.1'), { kind: 'intoto', version: '0.0.1' });
    assert.throws(() => parseTypeFlag('nope'), /unknown type nope/);
    assert.throws(() => parseTypeFlag('dsse:0.0.9'), /type dsse does not support version 0.0.9/);
    assert.deepEqual(parseSha('a'.repeat(40), 'sha'), { algorithm: 'sha1', hex: 'a'.repeat(40) });
    assert.deepEqual(parseSha(`sha512:${'B'.repeat(128)}`, 'sha'), { algorithm: 'sha512', hex: 'b'.repeat(128) });
    assert.throws(() => parseSha(`sha256:${'a'.repeat(40)}`, 'sha'), /invalid/);
    assert.throws(() => parseSha('xyz', 'artifact-hash'), /--artifact-hash/);
  });
});
