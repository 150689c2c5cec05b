/**
 * Checking a SignedData's signer infos as relic's pkcs7 SignedData.Verify does (what Rekor's jar
 * and rfc3161 kinds rely on): every signer info must verify; its certificate is found among the
 * bundled ones by issuer and serial; with authenticated attributes the messageDigest must match
 * and the signature covers the attributes, otherwise the content itself (signature.ts checks the
 * signature as relic's PkixVerify). X.509 chains are not validated (relic leaves that to callers,
 * and Rekor never asks). Failures throw RekorError('invalid_entry') with relic's texts.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { RekorError } from '../../errors.js';
import { DerError, DerReader, Tag } from '../der.js';
import { parseCertificate, type Certificate } from '../x509/index.js';
import { formatName } from './name.js';
import { digestHash, verifySignerSignature, type Pkcs7Hash } from './signature.js';
import { attributeValue, type SignedData, type SignerInfo } from './signed-data.js';

const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';

export interface VerifiedSigner {
  readonly signerInfo: SignerInfo;
  readonly certificate: Certificate;
  readonly hash: Pkcs7Hash;
}

function fail(message: string): never {
  throw new RekorError('invalid_entry', message);
}

/** Contents of the serial INTEGER of a certificate's TBSCertificate. */
function certificateSerial(der: Uint8Array): Uint8Array {
  const top = new DerReader(der);
  const cert = top.enter(top.read(Tag.SEQUENCE));
  const tbs = cert.enter(cert.read(Tag.SEQUENCE));
  tbs.readOptional(0xa0);
  return tbs.contents(tbs.read(Tag.INTEGER));
}

export interface Bundled {
  readonly certificate: Certificate;
  readonly serial: Uint8Array;
}

/** relic parses every certificate but reports a parse error only if the signer's is missing. */
export function parseBundled(certificates: readonly Uint8Array[]): { certs: Bundled[]; error: string | undefined } {
  const certs: Bundled[] = [];
  let error: string | undefined;
  for (const der of certificates) {
    try {
      const certificate = parseCertificate(der);
      certs.push({ certificate, serial: certificateSerial(der) });
    } catch (err) {
      if (err instanceof RekorError) error = err.message;
      else if (err instanceof DerError) error = 'x509: malformed certificate';
      else throw err;
    }
  }
  return { certs, error };
}

function hexSerial(serial: Uint8Array): string {
  // big.Int's %x: no leading zeros, a minus sign for negative values.
  const negative = ((serial[0] ?? 0) & 0x80) !== 0;
  let value = BigInt(`0x${Buffer.from(serial).toString('hex') || '0'}`);
  if (negative) value -= 1n << BigInt(serial.length * 8);
  return value < 0n ? `-${(-value).toString(16)}` : value.toString(16);
}

/** The messageDigest attribute's OCTET STRING (relic's AttributeList.GetOne). */
function messageDigest(si: SignerInfo): Uint8Array {
  const md = attributeValue(si.authenticatedAttributes, OID_MESSAGE_DIGEST, (der) => {
    const reader = new DerReader(der);
    return reader.contents(reader.read(Tag.OCTET_STRING));
  });
  if (md === undefined) fail(`attribute not found: ${OID_MESSAGE_DIGEST}`);
  return md;
}

/** relic's SignerInfo.Verify against `content`, finding the signer among `bundled`. */
export function verifySignerInfo(si: SignerInfo, content: Uint8Array, bundled: { certs: readonly Bundled[]; error: string | undefined }): VerifiedSigner {
  const hash = digestHash(si.digestAlgorithm);
  if (hash === undefined) fail(`pkcs7: unsupported hash algorithm ${si.digestAlgorithm.algorithm}`);
  let digest = createHash(hash).update(content).digest();
  if (si.authenticatedAttributes !== undefined && si.authenticatedAttributesSet !== undefined) {
    const md = messageDigest(si);
    if (md.length !== digest.length || !timingSafeEqual(md, digest)) fail('pkcs7: content digest does not match');
    digest = createHash(hash).update(si.authenticatedAttributesSet).digest();
  }
  const signer = bundled.certs.find((c) => Buffer.from(c.certificate.rawIssuer).equals(si.issuer) && Buffer.from(c.serial).equals(si.serial));
  if (signer === undefined) {
    if (bundled.error !== undefined) fail(bundled.error);
    fail(`certificate missing from signedData: serial=${hexSerial(si.serial)} issuer: ${formatName(si.issuer)}`);
  }
  verifySignerSignature(signer.certificate.publicKey, hash, si.signatureAlgorithm, digest, si.signature);
  return { signerInfo: si, certificate: signer.certificate, hash };
}

/**
 * relic's SignedData.Verify: `external` is the detached content; if content is also embedded the
 * two must be equal. Returns every signer (all must verify).
 */
export function verifySignedData(sd: SignedData, external: Uint8Array | undefined): VerifiedSigner[] {
  let content = sd.content;
  if (content === undefined) {
    if (external === undefined) fail('pkcs7: missing content');
    content = external;
  } else if (external !== undefined && !Buffer.from(external).equals(content)) {
    fail('pkcs7: internal and external content were both provided but are not equal');
  }
  if (sd.signerInfos.length === 0) fail('pkcs7 contains no signatures');
  const bundled = parseBundled(sd.certificates);
  return sd.signerInfos.map((si) => verifySignerInfo(si, content, bundled));
}
