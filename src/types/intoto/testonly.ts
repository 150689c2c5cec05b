/**
 * Test support for the intoto kind, not exported from index.ts: DSSE envelopes signed in-test
 * with node:crypto keys, and proposed intoto specs of both versions built the way the clients
 * build them (rekor-cli for 0.0.1; sigstore-js and rekor-cli for 0.0.2, double base64 included).
 */
import { createHash, sign } from 'node:crypto';
import type { TestKey } from '../../pki/x509/testonly.js';
import { pae } from './dsse.js';

export interface JsonEnvelope {
  payloadType: string;
  payload: string;
  signatures: { keyid?: string; sig: string }[];
}

export const IN_TOTO = 'application/vnd.in-toto+json';

export function statement(subjectDigest: string): Uint8Array {
  const text = JSON.stringify({
    _type: 'https://in-toto.io/Statement/v0.1',
    predicateType: 'https://slsa.dev/provenance/v0.2',
    subject: [{ name: 'artifact', digest: { sha256: subjectDigest } }],
    predicate: { builder: { id: 'test' }, buildType: 'x', materials: [{ uri: 'git+https://x', digest: { sha1: 'ABCDEF0123' } }] },
  });
  return new Uint8Array(Buffer.from(text));
}

/** A raw DSSE signature: SHA-256 for ECDSA/RSA whatever the size, pure Ed25519. */
export function dsseSign(key: TestKey, payloadType: string, payload: Uint8Array): Buffer {
  return sign(key.type === 'Ed25519' ? null : 'sha256', pae(payloadType, payload), key.privateKey);
}

export function signEnvelope(keys: readonly TestKey[], payloadType: string, payload: Uint8Array, keyid?: string): JsonEnvelope {
  const signatures = keys.map((k) => ({ ...(keyid === undefined ? {} : { keyid }), sig: dsseSign(k, payloadType, payload).toString('base64') }));
  return { payloadType, payload: Buffer.from(payload).toString('base64'), signatures };
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

export function v001Spec(envelopeText: string, pem: string): Record<string, unknown> {
  return { content: { envelope: envelopeText }, publicKey: b64(pem) };
}

/** A 0.0.2 spec: payload and sig wrapped in a second base64 layer, one PEM per signature. */
export function v002Spec(envelope: JsonEnvelope, pems: readonly string[], hashValue?: string): Record<string, unknown> {
  const signatures = envelope.signatures.map((s, i) => ({ ...(s.keyid ? { keyid: s.keyid } : {}), sig: b64(s.sig), publicKey: b64(pems[i] ?? '') }));
  const hash = hashValue ?? createHash('sha256').update(JSON.stringify(envelope)).digest('hex');
  return {
    content: {
      envelope: { payloadType: envelope.payloadType, payload: b64(envelope.payload), signatures },
      hash: { algorithm: 'sha256', value: hash },
    },
  };
}
