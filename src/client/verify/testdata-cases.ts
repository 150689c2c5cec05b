/**
 * Why each invalid entry or bundle in shared testdata is invalid: the check it was built to break
 * (NOTES.md, "Per-entry results"). Shared by the library test (testdata.test.ts) and the CLI's
 * (test/cli-offline.test.ts).
 */
import type { VerificationErrorCode } from './errors.js';

export const B = 'entries/bundles/';
/** The check each invalid file was built to break. */
export const WANT_ERROR: Record<string, VerificationErrorCode> = {
  [`${B}production-v1-invalid/conformance-bundle-negative-log-index_fail.sigstore.json`]: 'MALFORMED',
  [`${B}production-v1-invalid/conformance-checkpoint-bad-keyhint_fail.sigstore.json`]: 'CHECKPOINT_INVALID',
  [`${B}production-v1-invalid/conformance-checkpoint-wrong-roothash_fail.sigstore.json`]: 'CHECKPOINT_MISMATCH',
  [`${B}production-v1-invalid/conformance-inclusion-proof-corrupted-hash_fail.sigstore.json`]: 'INCLUSION_PROOF_INVALID',
  [`${B}production-v1-invalid/conformance-incorrect-public-key_fail.sigstore.json`]: 'INCLUSION_PROOF_INVALID',
  [`${B}production-v1-invalid/conformance-invalid-checkpoint-signature_fail.sigstore.json`]: 'CHECKPOINT_INVALID',
  [`${B}production-v1-invalid/conformance-invalid-inclusion-proof_fail.sigstore.json`]: 'INCLUSION_PROOF_INVALID',
  [`${B}production-v1-invalid/conformance-set-invalid-signature_fail.sigstore.json`]: 'SET_INVALID',
  [`${B}production-v1-invalid/java-bundle-with-bad-checkpoint-signature.sigstore`]: 'CHECKPOINT_INVALID',
  [`${B}production-v1-invalid/java-bundle-with-mismatched-set.sigstore`]: 'SET_INVALID',
  [`${B}rekor-v2/conformance-rekor2-checkpoint-missing-log-signature_fail.sigstore.json`]: 'CHECKPOINT_MALFORMED',
  [`${B}rekor-v2/conformance-rekor2-checkpoint-missing-origin_fail.sigstore.json`]: 'CHECKPOINT_MALFORMED',
  [`${B}rekor-v2/conformance-rekor2-checkpoint-missing-root-hash_fail.sigstore.json`]: 'CHECKPOINT_MALFORMED',
  [`${B}rekor-v2/conformance-rekor2-checkpoint-missing-size_fail.sigstore.json`]: 'CHECKPOINT_MALFORMED',
  [`${B}rekor-v2/conformance-rekor2-checkpoint-no-matching-signature_fail.sigstore.json`]: 'CHECKPOINT_INVALID',
  [`${B}rekor-v2/conformance-rekor2-no-inclusion-proof_fail.sigstore.json`]: 'INCLUSION_PROOF_MISSING',
};
