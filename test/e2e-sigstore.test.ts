/**
 * sigstore-js against the real server over loopback: @sigstore/sign's RekorWitness logs a
 * message signature (a local P-256 key), and @sigstore/verify checks the bundle against a
 * trusted root made from the server's public key. A resubmission exercises 409 + Location +
 * GET (fetchOnConflict). A trusted root with another log key must make verification fail.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bundleFromJSON, bundleToJSON } from '@sigstore/bundle';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { MessageSignatureBundleBuilder, RekorWitness } from '@sigstore/sign';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { logServerForSuite, otherLogKey, signingIdentity, trustedRoot } from './sigstore-fixture.js';


describe('sigstore-js end to end', () => {
  const server = logServerForSuite('sigstore');
  const { signer, keys } = signingIdentity('rekor-ts-test-key');

  const build = (fetchOnConflict: boolean) =>
    new MessageSignatureBundleBuilder({ signer, witnesses: [new RekorWitness({ rekorBaseURL: server.url, fetchOnConflict })] });
  const verify = (bundleJson: unknown, artifact: Buffer, root: TrustedRoot) =>
    new Verifier(toTrustMaterial(root, keys)).verify(toSignedEntity(bundleFromJSON(bundleJson), artifact));

  it('logs a message signature whose bundle @sigstore/verify accepts', async () => {
    const artifact = Buffer.from('hello from rekor-ts\n');
    const bundle = await build(false).create({ data: artifact });
    const json = bundleToJSON(bundle);
    const entry = json.verificationMaterial?.tlogEntries[0];
    assert.equal(entry?.kindVersion?.kind, 'hashedrekord');
    assert.ok(entry?.inclusionPromise?.signedEntryTimestamp);
    assert.ok(entry?.inclusionProof?.checkpoint?.envelope.startsWith('127.0.0.1 - '));
    verify(json, artifact, trustedRoot(server.url, server.logKeyPem));
    assert.throws(() => verify(json, Buffer.from('another artifact'), trustedRoot(server.url, server.logKeyPem)));
    assert.throws(
      () => verify(json, artifact, trustedRoot(server.url, otherLogKey())),
      (err: { code?: string }) => err.code === 'TLOG_INCLUSION_PROMISE_ERROR',
    );
  });

  it('fetches the existing entry on 409 and the bundle still verifies', async () => {
    const artifact = Buffer.from('logged twice\n');
    const first = bundleToJSON(await build(false).create({ data: artifact }));
    await assert.rejects(build(false).create({ data: artifact }), /409|already exists/);
    const second = bundleToJSON(await build(true).create({ data: artifact }));
    const [a, b] = [first.verificationMaterial?.tlogEntries[0], second.verificationMaterial?.tlogEntries[0]];
    assert.equal(b?.logIndex, a?.logIndex);
    assert.equal(b?.canonicalizedBody, a?.canonicalizedBody);
    verify(second, artifact, trustedRoot(server.url, server.logKeyPem));
  });
});
