/**
 * sigstore-js against the real server over loopback for the intoto kind: @sigstore/sign's
 * DSSEBundleBuilder signs an in-toto statement with a local P-256 key, RekorWitness logs it as
 * intoto 0.0.2 (double-base64 envelope plus client hash), and @sigstore/verify checks the bundle
 * against a trusted root made from the server's key. A resubmission exercises 409 + GET.
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

function statement(subjectDigest: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'artifact.tgz', digest: { sha256: subjectDigest } }],
      predicateType: 'https://example.com/test/v1',
      predicate: {},
    }),
  );
}

describe('sigstore-js end to end, intoto entries', () => {
  const server = logServerForSuite('sigstore-intoto');
  const { signer, keys } = signingIdentity('rekor-ts-intoto-key');

  const build = (fetchOnConflict: boolean) =>
    new DSSEBundleBuilder({ signer, witnesses: [new RekorWitness({ rekorBaseURL: server.url, entryType: 'intoto', fetchOnConflict })] });
  const verify = (bundleJson: unknown, root: TrustedRoot) => new Verifier(toTrustMaterial(root, keys)).verify(toSignedEntity(bundleFromJSON(bundleJson)));

  it('logs a DSSE in-toto attestation as intoto 0.0.2 and @sigstore/verify accepts the bundle', async () => {
    const payload = statement('1'.repeat(64));
    const json = bundleToJSON(await build(false).create({ data: payload, type: IN_TOTO }));
    const entry = json.verificationMaterial?.tlogEntries[0];
    assert.deepEqual(entry?.kindVersion, { kind: 'intoto', version: '0.0.2' });
    assert.ok(entry?.inclusionPromise?.signedEntryTimestamp);
    assert.ok(entry?.inclusionProof?.checkpoint?.envelope.startsWith('127.0.0.1 - '));
    const body = JSON.parse(Buffer.from(entry?.canonicalizedBody ?? '', 'base64').toString()) as {
      spec: { content: { envelope: Record<string, unknown>; payloadHash: { value: string } } };
    };
    assert.equal(body.spec.content.payloadHash.value, createHash('sha256').update(payload).digest('hex'));
    assert.equal(body.spec.content.envelope['payload'], undefined, 'the payload is not stored in the body');
    verify(json, trustedRoot(server.url, server.logKeyPem));

    const tampered = structuredClone(json);
    if (tampered.dsseEnvelope) tampered.dsseEnvelope.payload = statement('2'.repeat(64)).toString('base64');
    assert.throws(() => verify(tampered, trustedRoot(server.url, server.logKeyPem)));
    assert.throws(() => verify(json, trustedRoot(server.url, otherLogKey())), (err: { code?: string }) => err.code === 'TLOG_INCLUSION_PROMISE_ERROR');
  });

  it('fetches the existing entry on 409 and the bundle still verifies', async () => {
    const payload = statement('3'.repeat(64));
    const first = bundleToJSON(await build(false).create({ data: payload, type: IN_TOTO }));
    await assert.rejects(build(false).create({ data: payload, type: IN_TOTO }), /409|already exists/);
    const second = bundleToJSON(await build(true).create({ data: payload, type: IN_TOTO }));
    const [a, b] = [first.verificationMaterial?.tlogEntries[0], second.verificationMaterial?.tlogEntries[0]];
    assert.equal(b?.logIndex, a?.logIndex);
    assert.equal(b?.canonicalizedBody, a?.canonicalizedBody);
    verify(second, trustedRoot(server.url, server.logKeyPem));
  });
});
