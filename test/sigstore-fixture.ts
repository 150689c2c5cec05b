/**
 * What the sigstore-js end-to-end tests share: a real server per suite, a key-based signer for
 * @sigstore/sign, the matching verification keys for @sigstore/verify, and a trusted root made
 * from a log's key.
 */
import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { PublicKeyDetails, TrustedRoot } from '@sigstore/protobuf-specs';
import type { Signer } from '@sigstore/sign';
import { startServerProcess, type ServerProcess } from './server-process.js';

export interface SigningIdentity {
  /** Signs like a local key; the same data always gets the same signature, so a resubmission conflicts. */
  signer: Signer;
  /** The `keys` argument of @sigstore/verify's toTrustMaterial for this signer. */
  keys: Record<string, { rawBytes: Buffer; keyDetails: PublicKeyDetails }>;
}

export function signingIdentity(hint: string): SigningIdentity {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { signer: stableSigner(privateKey, hint), keys: { [hint]: verificationKey(privateKey) } };
}

function stableSigner(privateKey: KeyObject, hint: string): Signer {
  const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string;
  const made = new Map<string, Buffer>();
  return {
    async sign(data: Buffer) {
      const id = createHash('sha256').update(data).digest('hex');
      const signature = made.get(id) ?? sign('sha256', data, privateKey);
      made.set(id, signature);
      return { signature, key: { $case: 'publicKey', publicKey, hint } };
    },
  };
}

function verificationKey(privateKey: KeyObject): { rawBytes: Buffer; keyDetails: PublicKeyDetails } {
  const rawBytes = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return { rawBytes, keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256 };
}

/** A trusted root with one Rekor v1 log: its URL and its P-256 key. */
export function trustedRoot(baseUrl: string, logKeyPem: string): TrustedRoot {
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

/** A PEM key no log uses, for checks that must fail. */
export function otherLogKey(): string {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
}

/** A real server on loopback for one describe block, with its log key; stopped cleanly after. */
export interface LogServer {
  readonly url: string;
  readonly logKeyPem: string;
}

export function logServerForSuite(name: string): LogServer {
  const dataDir = mkdtempSync(join(tmpdir(), `rekor-ts-${name}-`));
  let server: ServerProcess | undefined;
  let logKeyPem = '';
  before(async () => {
    server = await startServerProcess({ dataDir });
    logKeyPem = await (await fetch(`${server.url}/api/v1/log/publicKey`)).text();
  });
  after(async () => {
    if (server !== undefined) assert.equal(await server.stop(), 0, server.stderr());
    rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    get url() {
      if (server === undefined) throw new Error('the server starts in before()');
      return server.url;
    },
    get logKeyPem() {
      return logKeyPem;
    },
  };
}
