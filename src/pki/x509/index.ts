/**
 * pki/x509: x509 keys, certificates and chains as Rekor accepts them, digest-signature
 * verification (ECDSA DER/P1363, RSA PKCS#1 v1.5 and optional PSS, Ed25519ph) on a native or a
 * pure-JS backend, and the client-signing-algorithm policy. No I/O. Parse errors are
 * RekorError('invalid_entry') with Rekor's texts; verification returns a verdict with a reason.
 */
export { parseX509PublicKey, verifyX509Signature, emailAddresses, MAX_CHAIN_CERTIFICATES, type X509PublicKey } from './public-key.js';
export { verifyDigestSignature, verifyRsaDigest, verifyEcdsaDigest, type DigestVerification, type VerifyDigestOptions, type RsaDigestOptions, type RsaPublicKey, type EcdsaPublicKey } from './verify.js';
export { parsePublicKeyInfo, type PublicKeyInfo } from './keys.js';
export { parseCertificate, certificateSubjects, type Certificate, type BasicConstraints } from './certificate.js';
export { verifyCertificateChain } from './chain.js';
export { HASH_ALGORITHMS, HASH_SIZE, isHashAlgorithm, type HashAlgorithm, type DigestAlgorithm } from './hash.js';
export type { EcdsaCurveName } from './curves.js';
export {
  SIGNING_ALGORITHMS,
  DEFAULT_SIGNING_ALGORITHMS,
  isSigningAlgorithm,
  parseSigningAlgorithms,
  isAlgorithmPermitted,
  allowsRsaPss,
  type SigningAlgorithm,
} from './algorithms.js';
export {
  useVerifierBackend,
  activeVerifierBackend,
  verifierBackend,
  nativeBackendStatus,
  type DigestBackend,
  type VerifierBackendName,
  type VerifierBackendChoice,
} from './backend.js';
