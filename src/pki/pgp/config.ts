/**
 * openpgp.js settings shared by key and signature handling. openpgp.js refuses by default what
 * Rekor's Go library accepts (DSA, RSA under 2047 bits, SHA-1 data signatures); entries already
 * in the log were accepted under Go's rules, so the defaults are relaxed to match. MD5 and
 * RIPEMD-160 stay refused, as in Go.
 */
import { enums, type PartialConfig } from 'openpgp';

export const PGP_CONFIG: PartialConfig = {
  minRSABits: 1024,
  rejectPublicKeyAlgorithms: new Set([enums.publicKey.elgamal]),
  rejectHashAlgorithms: new Set([enums.hash.md5, enums.hash.ripemd]),
  rejectMessageHashAlgorithms: new Set([enums.hash.md5, enums.hash.ripemd]),
  rejectCurves: new Set(),
};
