/**
 * sigstore-js against the real server over loopback, DSSE flavour: @sigstore/sign's
 * DSSEBundleBuilder signs an in-toto statement with a local P-256 key, RekorWitness logs it as a
 * dsse 0.0.1 entry, and @sigstore/verify checks the bundle (body against envelope, SET,
 * checkpoint, inclusion) with a trusted root made from the server's public key. A tampered
 * envelope and a trusted root with another log key must both fail verification.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { bundleFromJSON, bundleToJSON } from '@sigstore/bundle';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { DSSEBundleBuilder, RekorWitness } from '@sigstore/sign';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { logServerForSuite, otherLogKey, signingIdentity, trustedRoot } from './sigstore-fixture.js';

const IN_TOTO = 'application/vnd.in-toto+json';
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

describe('sigstore-js end to end: dsse entries', () => {
  const server = logServerForSuite('sigstore-dsse');
  const { signer, keys } = signingIdentity('rekor-ts-dsse-test-key');

  const verify = (bundleJson: unknown, root: TrustedRoot) => new Verifier(toTrustMaterial(root, keys)).verify(toSignedEntity(bundleFromJSON(bundleJson)));

  it('logs a DSSE envelope whose bundle @sigstore/verify accepts', async () => {
    const statement = Buffer.from(
      JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'artifact', digest: { sha256: sha256('artifact') } }], predicateType: 'https://example.com/p', predicate: {} }),
    );
    const builder = new DSSEBundleBuilder({ signer, witnesses: [new RekorWitness({ rekorBaseURL: server.url, entryType: 'dsse' })] });
    const json = bundleToJSON(await builder.create({ data: statement, type: IN_TOTO }));
    const entry = json.verificationMaterial?.tlogEntries[0];
    assert.deepEqual(entry?.kindVersion, { kind: 'dsse', version: '0.0.1' });
    const body = JSON.parse(Buffer.from(entry?.canonicalizedBody ?? '', 'base64').toString()) as { spec: { payloadHash: { value: string }; signatures: unknown[] } };
    assert.equal(body.spec.payloadHash.value, sha256(statement));
    assert.equal(body.spec.signatures.length, 1);
    verify(json, trustedRoot(server.url, server.logKeyPem));

    // The index finds the entry by its in-toto subject digest.
    const found = await fetch(`${server.url}/api/v1/index/retrieve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hash: `sha256:${sha256('artifact')}` }),
    });
    assert.equal(found.status, 200);
    assert.equal(((await found.json()) as string[]).length, 1);

    const tampered = structuredClone(json);
    if (tampered.dsseEnvelope) tampered.dsseEnvelope.payload = Buffer.from('{"_type":"other"}').toString('base64');
    assert.throws(() => verify(tampered, trustedRoot(server.url, server.logKeyPem)));
    assert.throws(() => verify(json, trustedRoot(server.url, otherLogKey())), (err: { code?: string }) => err.code === 'TLOG_INCLUSION_PROMISE_ERROR');
  });
});
