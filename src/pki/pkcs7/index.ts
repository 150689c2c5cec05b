/**
 * pki/pkcs7: PKCS#7 SignedData as Rekor's `pkcs7` PKI format and relic's library read it.
 * `readPkcs7` takes a PEM `PKCS7` block or raw DER; the canonical signature is the detached
 * SignedData re-encoded as PEM `PKCS7`, the "public key" is the first bundled certificate as PEM
 * `CERTIFICATE` (rekor pkg/pki/pkcs7). The jar kind verifies its signature blocks and the
 * rfc3161 kind its timestamp tokens here. `parseContentInfo` leaves the content-type check to the
 * caller, `verifySignedData` checks the signer infos over detached or embedded content,
 * `verifyOptionalTimestamp` a signer's RFC 3161 token or counter-signature. No I/O; failures are
 * RekorError('invalid_entry').
 */
import { RekorError } from '../../errors.js';
import { decodePem, encodePem } from '../pem.js';
import { parseCertificate, type Certificate } from '../x509/index.js';
import { parseSignedData, type SignedData } from './signed-data.js';

export { parseSignedData, parseContentInfo, OID_DATA, OID_SIGNED_DATA, type ContentInfo, type SignedData, type SignerInfo, type AlgorithmIdentifier, type Attribute } from './signed-data.js';
export { verifySignedData, type VerifiedSigner } from './verify.js';
export { digestHash, type Pkcs7Hash } from './signature.js';
export { verifyOptionalTimestamp, verifyTimestampToken, type VerifiedTimestamp } from './timestamp.js';

/** rekor's pkcs7.NewSignature/NewPublicKey input rule: a PEM `PKCS7` block if one decodes, else DER. */
export function readPkcs7(input: Uint8Array): SignedData {
  const { block } = decodePem(input);
  if (block !== undefined) {
    if (block.type !== 'PKCS7') throw new RekorError('invalid_entry', `unknown PEM block type ${block.type} found during PKCS7 parsing`);
    return parseSignedData(block.bytes);
  }
  return parseSignedData(input);
}

/** The canonical signature Rekor stores: the detached SignedData as PEM `PKCS7`. */
export function canonicalPkcs7Signature(sd: SignedData): Uint8Array {
  return Buffer.from(encodePem('PKCS7', sd.detached));
}

export interface Pkcs7PublicKey {
  /** The first bundled certificate (not necessarily the signer's). */
  readonly certificate: Certificate;
  /** PEM `CERTIFICATE` of its DER, as Rekor stores it. */
  readonly canonical: Uint8Array;
}

/** rekor's pkcs7.NewPublicKey: every bundled certificate must parse; the first one is the key. */
export function pkcs7PublicKey(sd: SignedData): Pkcs7PublicKey {
  const certificates = sd.certificates.map((der) => parseCertificate(der));
  const first = certificates[0];
  if (first === undefined) throw new RekorError('invalid_entry', 'unable to extract public key from certificate inside PKCS7 bundle');
  return { certificate: first, canonical: Buffer.from(encodePem('CERTIFICATE', first.der)) };
}
