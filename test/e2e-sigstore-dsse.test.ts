/**
 * sigstore-js against the real server over loopback, DSSE flavour: @sigstore/sign's
 * DSSEBundleBuilder signs an in-toto statement with a local P-256 key, RekorWitness logs it as a
 * dsse 0.0.1 entry, and @sigstore/verify checks the bundle (body against envelope, SET,
 * checkpoint, inclusion) with a trusted root made from the server's public key. A tampered
 * envelope and a trusted root with another log key must both fail verification.
 */
import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bundleFromJSON, bundleToJSON } from '@sigstore/bundle';
import { PublicKeyDetails, TrustedRoot } from '@sigstore/protobuf-specs';
import { DSSEBundleBuilder, RekorWitness, type Signer } from '@sigstore/sign';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { startServerProcess, type ServerProcess } from './server-process.js';

const KEY_HINT = 'rekor-ts-dsse-test-key';
const IN_TOTO = 'application/vnd.in-toto+json';
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

function keySigner(privateKey: KeyObject): Signer {
  const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string;
  return {
    async sign(data: Buffer) {
      return { signature: sign('sha256', data, privateKey), key: { $case: 'publicKey', publicKey, hint: KEY_HINT } };
    },
  };
}

function trustedRoot(baseUrl: string, logKeyPem: string): TrustedRoot {
  const der = createPublicKey(logKeyPem).export({ type: 'spki', format: 'der' });
  return TrustedRoot.fromJSON({
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl,
        hashAlgorithm: 'SHA2_256',
        publicKey: { rawBytes: der.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: '2020-01-01T00:00:00Z' } },
        logId: { keyId: createHash('sha256').update(der).digest('base64') },
      },
    ],
    certificateAuthorities: [],
    ctlogs: [],
    timestampAuthorities: [],
  });
}

describe('sigstore-js end to end: dsse entries', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rekor-ts-sigstore-dsse-'));
  let server: ServerProcess;
  let logKeyPem: string;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signingKeyDer = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const keys = { [KEY_HINT]: { rawBytes: signingKeyDer, keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256 } };

  before(async () => {
    server = await startServerProcess({ dataDir });
    logKeyPem = await (await fetch(`${server.url}/api/v1/log/publicKey`)).text();
  });
  after(async () => {
    assert.equal(await server.stop(), 0, server.stderr());
    rmSync(dataDir, { recursive: true, force: true });
  });

  const verify = (bundleJson: unknown, root: TrustedRoot) => new Verifier(toTrustMaterial(root, keys)).verify(toSignedEntity(bundleFromJSON(bundleJson)));

  it('logs a DSSE envelope whose bundle @sigstore/verify accepts', async () => {
    const statement = Buffer.from(
      JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'artifact', digest: { sha256: sha256('artifact') } }], predicateType: 'https://example.com/p', predicate: {} }),
    );
    const builder = new DSSEBundleBuilder({ signer: keySigner(privateKey), witnesses: [new RekorWitness({ rekorBaseURL: server.url, entryType: 'dsse' })] });
    const json = bundleToJSON(await builder.create({ data: statement, type: IN_TOTO }));
    const entry = json.verificationMaterial?.tlogEntries[0];
    assert.deepEqual(entry?.kindVersion, { kind: 'dsse', version: '0.0.1' });
    const body = JSON.parse(Buffer.from(entry?.canonicalizedBody ?? '', 'base64').toString()) as { spec: { payloadHash: { value: string }; signatures: unknown[] } };
    assert.equal(body.spec.payloadHash.value, sha256(statement));
    assert.equal(body.spec.signatures.length, 1);
    verify(json, trustedRoot(server.url, logKeyPem));

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
    assert.throws(() => verify(tampered, trustedRoot(server.url, logKeyPem)));
    const otherLogKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    assert.throws(() => verify(json, trustedRoot(server.url, otherLogKey)), (err: { code?: string }) => err.code === 'TLOG_INCLUSION_PROMISE_ERROR');
  });
});
