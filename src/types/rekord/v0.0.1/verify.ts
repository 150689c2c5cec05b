/**
 * Parsing a rekord entry's key and detached signature in its PKI format and verifying the
 * signature over the whole artifact (Rekor's pki.ArtifactFactory: NewSignature, NewPublicKey,
 * Signature.Verify). Parse errors are the PKI modules' RekorError('invalid_entry'); a signature
 * that does not verify becomes `verifying signature: <reason>`.
 */
import { createHash, createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { parseMinisignPublicKey, parseMinisignSignature, verifyMinisignSignature } from '../../../pki/minisign/index.js';
import { parsePgpPublicKey, parsePgpSignature, verifyPgpSignature } from '../../../pki/pgp/index.js';
import { parseSshPublicKey, parseSshSignature, verifySshSignature } from '../../../pki/ssh/index.js';
import { parseX509PublicKey, verifyCertificateChain, verifyX509Signature, type X509PublicKey } from '../../../pki/x509/index.js';
import { invalidEntry } from '../../go-decode.js';
import type { TypeContext } from '../../types.js';
import type { SignatureFormat } from './spec.js';

/** What the canonical body and the index need from a verified key and signature. */
export interface VerifiedMaterial {
  readonly canonicalKey: Uint8Array;
  readonly canonicalSignature: Uint8Array;
  readonly subjects: readonly string[];
}

type Verdict = { readonly valid: true } | { readonly valid: false; readonly reason: string };

function check(verdict: Verdict): void {
  if (!verdict.valid) throw invalidEntry(`verifying signature: ${verdict.reason}`);
}

/**
 * sigstore's x509 verifier for an artifact: ECDSA and RSA PKCS#1 v1.5 over its SHA-256 digest
 * (whatever the curve), Ed25519 pure over the artifact itself (not Ed25519ph as in hashedrekord).
 */
function verifyX509Artifact(key: X509PublicKey, artifact: Uint8Array, signature: Uint8Array): Verdict {
  if (key.publicKey.kind !== 'ed25519') {
    const digest = createHash('sha256').update(artifact).digest();
    return verifyX509Signature(key, 'sha256', digest, signature);
  }
  if (signature.length === 0) return { valid: false, reason: 'X509 signature has not been initialized' };
  if (key.form === 'chain') {
    const chainError = verifyCertificateChain(key.certificates);
    if (chainError !== undefined) return { valid: false, reason: chainError };
  }
  const keyObject = createPublicKey({ key: Buffer.from(key.publicKey.spki), format: 'der', type: 'spki' });
  return cryptoVerify(null, artifact, keyObject, signature) ? { valid: true } : { valid: false, reason: 'failed to verify signature: ed25519: invalid signature' };
}

function x509(keyBytes: Uint8Array, sigBytes: Uint8Array, artifact: Uint8Array, ctx: TypeContext): VerifiedMaterial {
  const key = parseX509PublicKey(keyBytes, { maxChainCertificates: ctx.limits.maxChainCertificates });
  check(verifyX509Artifact(key, artifact, sigBytes));
  return { canonicalKey: key.canonical, canonicalSignature: sigBytes, subjects: key.subjects };
}

async function pgp(keyBytes: Uint8Array, sigBytes: Uint8Array, artifact: Uint8Array): Promise<VerifiedMaterial> {
  const signature = await parsePgpSignature(sigBytes);
  const key = await parsePgpPublicKey(keyBytes);
  check(await verifyPgpSignature(key, signature, artifact));
  return { canonicalKey: key.canonical, canonicalSignature: signature.canonical, subjects: key.subjects };
}

function minisign(keyBytes: Uint8Array, sigBytes: Uint8Array, artifact: Uint8Array): VerifiedMaterial {
  const signature = parseMinisignSignature(sigBytes);
  const key = parseMinisignPublicKey(keyBytes);
  check(verifyMinisignSignature(signature, key, artifact));
  return { canonicalKey: key.canonical, canonicalSignature: signature.canonical, subjects: key.subjects };
}

function ssh(keyBytes: Uint8Array, sigBytes: Uint8Array, artifact: Uint8Array): VerifiedMaterial {
  const signature = parseSshSignature(sigBytes);
  const key = parseSshPublicKey(keyBytes);
  check(verifySshSignature(signature, key, artifact));
  return { canonicalKey: key.canonical, canonicalSignature: signature.canonical, subjects: key.subjects };
}

/** Parses signature then key (Rekor's order), verifies over the artifact; throws RekorError. */
export async function verifyArtifact(
  format: SignatureFormat,
  keyBytes: Uint8Array,
  sigBytes: Uint8Array,
  artifact: Uint8Array,
  ctx: TypeContext,
): Promise<VerifiedMaterial> {
  switch (format) {
    case 'x509':
      return x509(keyBytes, sigBytes, artifact, ctx);
    case 'pgp':
      return pgp(keyBytes, sigBytes, artifact);
    case 'minisign':
      return minisign(keyBytes, sigBytes, artifact);
    case 'ssh':
      return ssh(keyBytes, sigBytes, artifact);
  }
}
