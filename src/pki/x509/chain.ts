/**
 * Certificate-chain validation as Rekor applies it to a multi-certificate PEM: the last
 * certificate is the only trusted root, the ones between are intermediates, any extended key
 * usage is accepted, and the validation time is the leaf's NotBefore (so chains that have since
 * expired still verify). Path building follows Go's x509.Verify: parents are found by exact
 * issuer/subject bytes; each parent must be a CA allowed to sign certificates, within its path
 * length and validity window, and must have signed the child with a non-legacy algorithm (the
 * signature itself is checked by node:crypto). Not mirrored: name constraints.
 * Returns undefined when some path reaches the root, else Go's error text.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { nodeCertificate, type Certificate } from './certificate.js';

const KEY_USAGE_CERT_SIGN = 1 << 5;
const MAX_SIGNATURE_CHECKS = 100;

/** Signature algorithms Go verifies in chains (SHA-1, MD5 and DSA are refused). */
const CHAIN_SIGNATURE_ALGORITHMS = new Set([
  '1.2.840.113549.1.1.11', // sha256WithRSAEncryption
  '1.2.840.113549.1.1.12', // sha384WithRSAEncryption
  '1.2.840.113549.1.1.13', // sha512WithRSAEncryption
  '1.2.840.113549.1.1.10', // RSASSA-PSS
  '1.2.840.10045.4.3.2', // ecdsa-with-SHA256
  '1.2.840.10045.4.3.3', // ecdsa-with-SHA384
  '1.2.840.10045.4.3.4', // ecdsa-with-SHA512
  '1.3.101.112', // Ed25519
]);

class SignatureBudgetExceeded extends Error {}

function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

function withinValidity(cert: Certificate, at: Date): boolean {
  return at >= cert.notBefore && at <= cert.notAfter;
}

/** Go's CheckSignatureFrom preconditions on the parent, then the signature itself. */
function signedBy(child: Certificate, parent: Certificate, keys: Map<Certificate, KeyObject | null>): boolean {
  const bc = parent.basicConstraints;
  if ((parent.version === 3 && bc === undefined) || (bc !== undefined && !bc.ca)) return false;
  if (parent.keyUsage !== 0 && (parent.keyUsage & KEY_USAGE_CERT_SIGN) === 0) return false;
  if (!CHAIN_SIGNATURE_ALGORITHMS.has(child.signatureAlgorithm)) return false;
  let key = keys.get(parent);
  if (key === undefined) {
    key = parent.publicKey.kind === 'unsupported' ? null : createPublicKey({ key: Buffer.from(parent.publicKey.spki), format: 'der', type: 'spki' });
    keys.set(parent, key);
  }
  const x509 = nodeCertificate(child);
  if (key === null || x509 === undefined) return false;
  try {
    return x509.verify(key);
  } catch {
    return false;
  }
}

/** Go's isValid for a would-be parent: time window, CA flag (intermediates), path length. */
function validAsParent(candidate: Certificate, isRoot: boolean, chainBelow: readonly Certificate[], at: Date): boolean {
  if (!withinValidity(candidate, at)) return false;
  const bc = candidate.basicConstraints;
  if (!isRoot && (bc === undefined || !bc.ca)) return false;
  if (bc !== undefined && bc.maxPathLen >= 0 && chainBelow.length - 1 > bc.maxPathLen) return false;
  return true;
}

function alreadyInChain(candidate: Certificate, chain: readonly Certificate[]): boolean {
  return chain.some((c) => sameBytes(c.rawSubject, candidate.rawSubject) && sameBytes(c.publicKey.spki, candidate.publicKey.spki));
}

interface Search {
  readonly roots: readonly Certificate[];
  readonly intermediates: readonly Certificate[];
  readonly at: Date;
  readonly keys: Map<Certificate, KeyObject | null>;
  signatureChecks: number;
}

function reachesRoot(chain: readonly Certificate[], search: Search): boolean {
  const current = chain[chain.length - 1] as Certificate;
  const candidates: Array<[Certificate, boolean]> = [
    ...search.roots.map((c): [Certificate, boolean] => [c, true]),
    ...search.intermediates.map((c): [Certificate, boolean] => [c, false]),
  ];
  for (const [candidate, isRoot] of candidates) {
    if (!sameBytes(candidate.rawSubject, current.rawIssuer) || alreadyInChain(candidate, chain)) continue;
    if (++search.signatureChecks > MAX_SIGNATURE_CHECKS) throw new SignatureBudgetExceeded();
    if (!signedBy(current, candidate, search.keys) || !validAsParent(candidate, isRoot, chain, search.at)) continue;
    if (isRoot || reachesRoot([...chain, candidate], search)) return true;
  }
  return false;
}

export function verifyCertificateChain(chain: readonly Certificate[]): string | undefined {
  const leaf = chain[0];
  if (leaf === undefined) return 'no certificate chain provided';
  if (chain.length === 1) return undefined;
  if (leaf.hasUnhandledCriticalExtension) return 'x509: unhandled critical extension';
  const at = leaf.notBefore;
  if (at > leaf.notAfter) {
    return `x509: certificate has expired or is not yet valid: current time ${rfc3339(at)} is after ${rfc3339(leaf.notAfter)}`;
  }
  const root = chain[chain.length - 1] as Certificate;
  // A leaf that is itself the root needs no path (Go checks pool membership first).
  if (sameBytes(root.der, leaf.der)) return undefined;
  const search: Search = { roots: [root], intermediates: chain.slice(1, -1), at, keys: new Map(), signatureChecks: 0 };
  try {
    return reachesRoot([leaf], search) ? undefined : 'x509: certificate signed by unknown authority';
  } catch (err) {
    if (err instanceof SignatureBudgetExceeded) return 'x509: signature check attempts limit reached while verifying certificate chain';
    throw err;
  }
}
