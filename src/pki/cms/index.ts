/**
 * pki/cms: CMS / PKCS#7 SignedData (RFC 5652) as Rekor's Go code reads and verifies it through
 * relic's pkcs7 package: DER decoding on asn1js with Go's strictness, SignedData members with
 * Go's OPTIONAL/DEFAULT rules, and signer verification against the embedded certificates only
 * (no trust anchors). Bad input throws CmsError with relic's texts; nothing else is thrown.
 */
export { CmsError, MissingCertificateError } from './errors.js';
export { parseDer, isUniversal, readInt, UNIVERSAL, type Asn1Node } from './asn1.js';
export {
  readContentInfoSignedData,
  readSignedData,
  parseContentInfoSignedData,
  OID_SIGNED_DATA,
  type ContentInfoSignedData,
  type SignedData,
  type SignerInfo,
  type AlgorithmIdentifier,
  type Attribute,
} from './signed-data.js';
export { verifySignedData, type SignedDataVerification } from './verify.js';
