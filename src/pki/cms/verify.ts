/**
 * relic's SignedData.Verify(external, skipDigests=false), which Rekor's rfc3161 type calls: every
 * SignerInfo must verify against a certificate embedded in the SignedData (matched by issuer and
 * serial number); with signed attributes, their messageDigest must equal the content's digest
 * and the signature covers the attributes (re-tagged as a SET). No chain, trust anchor, validity
 * period or key usage is checked: that is the caller's business, and Rekor does none of it.
 * Failures throw CmsError with relic's texts (e.g. `pkcs7: content digest does not match`).
 */
import { timingSafeEqual } from 'node:crypto';
import { RekorError } from '../../errors.js';
import { encodeTlv, Tag } from '../der.js';
import { parseCertificate, type Certificate } from '../x509/index.js';
import { isUniversal, parseDer, readBigInt, UNIVERSAL, type Asn1Node } from './asn1.js';
import { computeDigest, digestByOid } from './digest.js';
import { CmsError, MissingCertificateError } from './errors.js';
import { formatName } from './name.js';
import { verifySignerSignature } from './signature.js';
import { OID_MESSAGE_DIGEST, type SignedData, type SignerInfo } from './signed-data.js';

export interface SignedDataVerification {
  /** The certificate of the last SignerInfo (relic returns that one). */
  readonly signer: Certificate;
  /** The embedded certificates that parsed. */
  readonly certificates: readonly Certificate[];
}

interface ParsedCertificate {
  readonly certificate: Certificate;
  readonly serialNumber: bigint;
}

/** The serial number as Go's x509 reads it: TBSCertificate's first INTEGER after `[0] version`. */
function serialOf(der: Uint8Array): bigint | undefined {
  try {
    const tbs = parseDer(der).node.children[0];
    const fields = tbs?.children ?? [];
    const serial = fields[0]?.tagClass === 'context' ? fields[1] : fields[0];
    return serial !== undefined && isUniversal(serial, UNIVERSAL.INTEGER, false) ? readBigInt(serial, 'serialNumber') : undefined;
  } catch {
    return undefined;
  }
}

/** RawCertificates.Parse: the ones that parse, and the last parse error. */
function parseCertificates(raw: readonly Uint8Array[]): { parsed: ParsedCertificate[]; error: string | undefined } {
  const parsed: ParsedCertificate[] = [];
  let error: string | undefined;
  for (const der of raw) {
    try {
      const certificate = parseCertificate(der);
      const serialNumber = serialOf(der);
      if (serialNumber === undefined) throw new RekorError('invalid_entry', 'x509: malformed serial number');
      parsed.push({ certificate, serialNumber });
    } catch (err) {
      if (!(err instanceof RekorError)) throw err;
      error = err.message;
    }
  }
  return { parsed, error };
}

function findCertificate(si: SignerInfo, certificates: readonly ParsedCertificate[]): Certificate {
  for (const { certificate, serialNumber } of certificates) {
    if (serialNumber === si.serialNumber && Buffer.from(certificate.rawIssuer).equals(si.issuer.raw)) return certificate;
  }
  const serial = si.serialNumber < 0n ? `-${(-si.serialNumber).toString(16)}` : si.serialNumber.toString(16);
  throw new MissingCertificateError(`certificate missing from signedData: serial=${serial} issuer: ${formatName(si.issuer.raw)}`);
}

/** AttributeList.GetOne(messageDigest): the single OCTET STRING in the attribute's values. */
function messageDigest(si: SignerInfo): Uint8Array {
  const attribute = si.signedAttributes.find((a) => a.oid === OID_MESSAGE_DIGEST);
  if (attribute === undefined) throw new CmsError(`attribute not found: ${OID_MESSAGE_DIGEST}`);
  const values: readonly Asn1Node[] = attribute.values.constructed ? attribute.values.children : [];
  const first = values[0];
  if (first === undefined) throw new CmsError('asn1: syntax error: sequence truncated (messageDigest)');
  if (!isUniversal(first, UNIVERSAL.OCTET_STRING, false)) throw new CmsError("asn1: structure error: tags don't match (messageDigest)");
  if (values.length > 1) throw new CmsError(`attribute ${OID_MESSAGE_DIGEST}: expected one, found multiple`);
  return first.content;
}

/** The signed attributes as signed: relic's fourth SignerInfo member, re-tagged as a SET. */
function signedAttributesBytes(si: SignerInfo): Uint8Array {
  const member = si.node.children[3];
  if (member === undefined) throw new CmsError('verifying authenticated attributes: short sequence in SignerInfo');
  return encodeTlv(Tag.SET, member.content);
}

function verifySignerInfo(si: SignerInfo, content: Uint8Array, certificates: readonly ParsedCertificate[]): Certificate {
  const hash = digestByOid(si.digestAlgorithm.oid);
  if (hash === undefined) throw new CmsError(`pkcs7: unsupported hash algorithm ${si.digestAlgorithm.oid}`);
  let digest = computeDigest(hash, content);
  if (si.signedAttributes.length > 0) {
    const md = messageDigest(si);
    if (md.length !== digest.length || !timingSafeEqual(md, digest)) throw new CmsError('pkcs7: content digest does not match');
    digest = computeDigest(hash, signedAttributesBytes(si));
  }
  const certificate = findCertificate(si, certificates);
  const failure = verifySignerSignature(certificate.publicKey, si.digestAlgorithm, si.signatureAlgorithm, digest, si.signature);
  if (failure !== undefined) throw new CmsError(failure);
  return certificate;
}

/**
 * Verifies every signer of `signedData` over its encapsulated content, or over `externalContent`
 * for a detached signature (if both are present they must be equal).
 */
export function verifySignedData(signedData: SignedData, externalContent?: Uint8Array): SignedDataVerification {
  let content = signedData.content;
  if (content === undefined) {
    if (externalContent === undefined) throw new CmsError('pkcs7: missing content');
    content = externalContent;
  } else if (externalContent !== undefined && !Buffer.from(content).equals(externalContent)) {
    throw new CmsError('pkcs7: internal and external content were both provided but are not equal');
  }
  if (signedData.signerInfos.length === 0) throw new CmsError('pkcs7 contains no signatures');
  const { parsed, error } = parseCertificates(signedData.certificates);
  let signer: Certificate | undefined;
  for (const si of signedData.signerInfos) {
    try {
      signer = verifySignerInfo(si, content, parsed);
    } catch (err) {
      // A certificate that failed to parse explains a missing signer better than the absence.
      if (err instanceof MissingCertificateError && error !== undefined) throw new CmsError(error);
      throw err;
    }
  }
  if (signer === undefined) throw new CmsError('pkcs7 contains no signatures');
  return { signer, certificates: parsed.map((p) => p.certificate) };
}
