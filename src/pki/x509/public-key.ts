/**
 * An x509 "public key" as Rekor accepts it in an entry: PEM text holding a `PUBLIC KEY`, a
 * `CERTIFICATE`, or (when anything follows the first block) a chain of certificates, leaf first.
 * Parsing follows Rekor's pkg/pki/x509 and reports its error texts (`invalid public key: failure
 * decoding PEM`, …) as RekorError('invalid_entry'). The canonical value is what Rekor stores:
 * the key re-encoded, or the certificates' DER, as 64-column PEM with a trailing newline.
 */
import { RekorError } from '../../errors.js';
import { decodePem } from '../pem.js';
import { encodePem } from '../pem.js';
import { certificateSubjects, parseCertificate, type Certificate } from './certificate.js';
import { verifyCertificateChain } from './chain.js';
import type { HashAlgorithm } from './hash.js';
import { parsePublicKeyInfo, type PublicKeyInfo } from './keys.js';
import { verifyDigestSignature, type DigestVerification, type VerifyDigestOptions } from './verify.js';

export interface X509PublicKey {
  readonly form: 'public-key' | 'certificate' | 'chain';
  /** Canonical PEM bytes, as stored in the entry body. */
  readonly canonical: Uint8Array;
  /** The key that verifies signatures: the bare key, or the leaf certificate's. */
  readonly publicKey: PublicKeyInfo;
  /** Leaf first; empty for a bare key. */
  readonly certificates: readonly Certificate[];
  /** Index identities of the leaf (DNS, emails, IPs, URIs, sigstore OtherName); none for a bare key. */
  readonly subjects: readonly string[];
}

/** Rekor's limit on certificates in one PEM chain. */
export const MAX_CHAIN_CERTIFICATES = 10;

/** Unicode White_Space characters beyond ASCII, UTF-8 encoded (U+0085, U+00A0, U+1680, U+2000–U+200A, …). */
const WIDE_SPACES = [
  [0xc2, 0x85], [0xc2, 0xa0], [0xe1, 0x9a, 0x80], [0xe2, 0x80, 0xa8], [0xe2, 0x80, 0xa9], [0xe2, 0x80, 0xaf], [0xe2, 0x81, 0x9f],
  [0xe3, 0x80, 0x80], ...Array.from({ length: 11 }, (_, i) => [0xe2, 0x80, 0x80 + i]),
].map((s) => Buffer.from(s));

function isAsciiSpace(byte: number | undefined): boolean {
  return byte === 0x20 || (byte !== undefined && byte >= 0x09 && byte <= 0x0d);
}

function wideSpaceAt(data: Buffer, start: number, end: number, atEnd: boolean): number {
  for (const seq of WIDE_SPACES) {
    if (seq.length > end - start) continue;
    const at = atEnd ? end - seq.length : start;
    if (data.compare(seq, 0, seq.length, at, at + seq.length) === 0) return seq.length;
  }
  return 0;
}

/** Go's bytes.TrimSpace (Unicode white space, UTF-8 encoded). */
function trimSpace(input: Uint8Array): Uint8Array {
  const data = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  let start = 0;
  let end = data.length;
  while (start < end) {
    const byte = data[start] as number;
    const step = isAsciiSpace(byte) ? 1 : byte >= 0x80 ? wideSpaceAt(data, start, end, false) : 0;
    if (step === 0) break;
    start += step;
  }
  while (start < end) {
    const byte = data[end - 1] as number;
    const step = isAsciiSpace(byte) ? 1 : byte >= 0x80 ? wideSpaceAt(data, start, end, true) : 0;
    if (step === 0) break;
    end -= step;
  }
  return input.subarray(start, end);
}

function fail(message: string): never {
  throw new RekorError('invalid_entry', message);
}

function fromCertificates(certificates: Certificate[], form: 'certificate' | 'chain'): X509PublicKey {
  const leaf = certificates[0] as Certificate;
  const canonical = Buffer.from(certificates.map((c) => encodePem('CERTIFICATE', c.der)).join(''), 'latin1');
  return { form, canonical, publicKey: leaf.publicKey, certificates, subjects: certificateSubjects(leaf) };
}

/** cryptoutils.UnmarshalCertificatesFromPEMLimited: every block is read as a certificate. */
function parseChain(pem: Uint8Array, limit: number): X509PublicKey {
  const certificates: Certificate[] = [];
  let remaining = trimSpace(pem);
  while (remaining.length > 0) {
    if (certificates.length === limit) fail('too many certificates specified in PEM block');
    const { block, rest } = decodePem(remaining);
    if (block === undefined) fail('error during PEM decoding');
    certificates.push(parseCertificate(block.bytes));
    remaining = rest;
  }
  return fromCertificates(certificates, 'chain');
}

/** Parses the PEM content of an x509 public key field. Throws RekorError('invalid_entry'). */
export function parseX509PublicKey(input: Uint8Array, opts: { maxChainCertificates?: number } = {}): X509PublicKey {
  const pem = trimSpace(input);
  const { block, rest } = decodePem(pem);
  if (block === undefined) fail('invalid public key: failure decoding PEM');
  if (rest.length > 0) return parseChain(pem, opts.maxChainCertificates ?? MAX_CHAIN_CERTIFICATES);
  if (block.type === 'PUBLIC KEY') {
    const publicKey = parsePublicKeyInfo(block.bytes);
    const canonical = Buffer.from(encodePem('PUBLIC KEY', publicKey.spki), 'latin1');
    return { form: 'public-key', canonical, publicKey, certificates: [], subjects: [] };
  }
  if (block.type === 'CERTIFICATE') return fromCertificates([parseCertificate(block.bytes)], 'certificate');
  fail(`invalid public key: cannot handle type ${block.type}`);
}

/**
 * Rekor's x509 Signature.Verify over a digest: the signature must be present, a chain must
 * validate (leaf NotBefore as the time), then the leaf key must verify the digest.
 */
export function verifyX509Signature(
  key: X509PublicKey,
  hash: HashAlgorithm,
  digest: Uint8Array,
  signature: Uint8Array,
  opts: VerifyDigestOptions = {},
): DigestVerification {
  if (signature.length === 0) return { valid: false, reason: 'X509 signature has not been initialized' };
  if (key.form === 'chain') {
    const chainError = verifyCertificateChain(key.certificates);
    if (chainError !== undefined) return { valid: false, reason: chainError };
  }
  return verifyDigestSignature(key.publicKey, hash, digest, signature, opts);
}

/** Lower-cased, syntactically plausible email SANs of the leaf (Rekor's EmailAddresses). */
export function emailAddresses(key: X509PublicKey): string[] {
  const leaf = key.certificates[0];
  if (leaf === undefined) return [];
  return leaf.subjectAltNames.emailAddresses.filter((e) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e)).map((e) => e.toLowerCase());
}
