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
