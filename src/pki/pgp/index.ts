/**
 * pki/pgp: PGP public keys and detached signatures as Rekor's `pgp` PKI format accepts them —
 * parsing (armored or binary, several blocks), Go-compatible canonical armor, user-ID email
 * subjects, and detached-signature verification with key validity at signing time. Built on
 * openpgp.js; no I/O. Parse errors are RekorError('invalid_entry'); verification returns a verdict.
 */
export { parsePgpPublicKey, pgpSearchKey, MAX_PGP_KEY_SIZE, type PgpPublicKey } from './public-key.js';
export { parsePgpSignature, verifyPgpSignature, MAX_PGP_SIGNATURE_SIZE, type PgpSignature, type PgpVerification } from './signature.js';
export { encodeArmor, decodeArmor, crc24 } from './armor.js';
export { emailSubjects } from './user-id.js';
