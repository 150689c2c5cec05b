/**
 * rekor-ts/verify: offline verification of Rekor log entries and of the transparency-log part of
 * Sigstore bundles. Never touches the network. Every failure is a VerificationError with a typed
 * `code`; check codes, not messages.
 */
export { VerificationError, isVerificationError, type VerificationErrorCode } from './errors.js';
export {
  TrustedLogs,
  findTrustedLogs,
  loadTrust,
  type TrustInput,
  type TrustedLog,
  type TrustedLogKey,
  type ValidityPeriod,
} from './trust.js';
export { verifyLogCheckpoint, type LogFlavour } from './checkpoint.js';
export {
  verifyTlogMaterial,
  type InclusionProofMaterial,
  type Requirements,
  type TlogEntryVerification,
  type TlogMaterial,
} from './tlog.js';
export { logEntryMaterial, verifyLogEntry, type VerifyLogEntryOptions } from './logentry.js';
export { bundleEntryMaterial, verifyBundle, type BundleVerification, type BundleVersion } from './bundle.js';
