/**
 * Proposed entries signed for real (node:crypto keys, fresh per entry unless one is given), as
 * sigstore-js and cosign send them.
 */
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

export interface SignedArtifact {
  artifact: Buffer;
  digestHex: string;
  signature: Buffer;
  publicKeyPem: string;
  privateKey: KeyObject;
}

export function signArtifact(options: { artifact?: Buffer; privateKey?: KeyObject } = {}): SignedArtifact {
  const privateKey = options.privateKey ?? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const artifact = options.artifact ?? randomBytes(64);
  return {
    artifact,
    digestHex: createHash('sha256').update(artifact).digest('hex'),
    signature: sign('sha256', artifact, privateKey),
    publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string,
    privateKey,
  };
}

/** A hashedrekord 0.0.1 proposed entry for a signed artifact. */
export function hashedRekord(signed: SignedArtifact = signArtifact()): Record<string, unknown> {
  return {
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: 'sha256', value: signed.digestHex } },
      signature: {
        content: signed.signature.toString('base64'),
        publicKey: { content: Buffer.from(signed.publicKeyPem).toString('base64') },
      },
    },
  };
}

const IN_TOTO = 'application/vnd.in-toto+json';

/** DSSE pre-authentication encoding: what a DSSE signature covers. */
function pae(payloadType: string, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(payloadType)} ${payloadType} ${payload.length} `), payload]);
}

/** An in-toto statement about a random artifact, signed into a DSSE envelope by a fresh P-256 key. */
export function signedStatement(): { payload: Buffer; signature: Buffer; publicKeyPem: string } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const payload = Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'artifact', digest: { sha256: randomBytes(32).toString('hex') } }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: { buildDefinition: { buildType: 'https://example.com/build' } },
    }),
  );
  return {
    payload,
    signature: sign('sha256', pae(IN_TOTO, payload), privateKey),
    publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string,
  };
}

/** A dsse 0.0.1 proposed entry, as sigstore-js and cosign send it. */
export function dsseEntry(signed = signedStatement()): Record<string, unknown> {
  const envelope = JSON.stringify({
    payload: signed.payload.toString('base64'),
    payloadType: IN_TOTO,
    signatures: [{ sig: signed.signature.toString('base64'), keyid: '' }],
  });
  return {
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: { proposedContent: { envelope, verifiers: [Buffer.from(signed.publicKeyPem).toString('base64')] } },
  };
}

/** An intoto 0.0.2 proposed entry (payload and signature double base64, as Rekor expects). */
export function intotoEntry(signed = signedStatement()): Record<string, unknown> {
  const b64 = (data: Buffer | string): string => Buffer.from(data).toString('base64');
  const envelope = { payloadType: IN_TOTO, payload: b64(signed.payload), signatures: [{ sig: b64(signed.signature), publicKey: signed.publicKeyPem }] };
  return {
    apiVersion: '0.0.2',
    kind: 'intoto',
    spec: {
      content: {
        envelope: {
          payloadType: IN_TOTO,
          payload: b64(b64(signed.payload)),
          signatures: [{ sig: b64(b64(signed.signature)), publicKey: b64(signed.publicKeyPem) }],
        },
        hash: { algorithm: 'sha256', value: createHash('sha256').update(JSON.stringify(envelope)).digest('hex') },
      },
    },
  };
}
