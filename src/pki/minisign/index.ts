/**
 * pki/minisign: minisign and signify keys and signatures as Rekor's pkg/pki/minisign accepts
 * them, their canonical forms and index key, and Ed25519 verification (legacy `Ed` and prehashed
 * `ED`). No I/O. Parse errors are RekorError('invalid_entry'); verification returns a verdict.
 */
export { parseMinisignPublicKey, minisignSearchKey, type MinisignPublicKey } from './key.js';
export {
  parseMinisignSignature,
  verifyMinisignSignature,
  type MinisignSignature,
  type MinisignVerification,
} from './signature.js';
