/**
 * relic's x509tools.PkixVerify for a SignerInfo, plus the retry relic's SignerInfo.Verify makes:
 * the signature algorithm may be a bare key algorithm (rsaEncryption, id-ecPublicKey) or a
 * combined one (sha256WithRSA…), whose digest must then match; RSA PKCS#1 v1.5, RSA-PSS with
 * explicit parameters, ECDSA; DSA and anything else are refused. After an RSA verification
 * failure relic tries PKCS#1 v1.5 over the bare digest (some timestamping services sign that
 * way). The arithmetic, with Go's key limits, is pki/x509's. Throws RekorError('invalid_entry').
 */
import { RekorError } from '../../errors.js';
import { DerReader, Tag, isMinimalInteger, oidToString } from '../der.js';
import { parseRelicEcdsaSignature } from '../x509/ecdsa-signature.js';
import { HASH_SIZE, verifyEcdsaDigest, verifyRsaDigest, type DigestAlgorithm, type PublicKeyInfo } from '../x509/index.js';
import type { AlgorithmIdentifier } from './signed-data.js';

export type Pkcs7Hash = DigestAlgorithm;

const DIGEST_OIDS: Readonly<Record<string, Pkcs7Hash>> = {
  '1.2.840.113549.2.5': 'md5',
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

type KeyFamily = 'rsa' | 'ecdsa' | 'dsa';

const OID_RSA_PSS = '1.2.840.113549.1.1.10';
const OID_MGF1 = '1.2.840.113549.1.1.8';

/** relic's sigAlgInfos: signature (or bare key) algorithm OID → key family and implied digest. */
const SIGNATURE_ALGORITHMS: Readonly<Record<string, { family: KeyFamily; hash: Pkcs7Hash | undefined }>> = {
  '1.2.840.113549.1.1.1': { family: 'rsa', hash: undefined },
  [OID_RSA_PSS]: { family: 'rsa', hash: undefined },
  '1.2.840.10040.4.1': { family: 'dsa', hash: undefined },
  '1.2.840.10045.2.1': { family: 'ecdsa', hash: undefined },
  '1.2.840.113549.1.1.4': { family: 'rsa', hash: 'md5' },
  '1.2.840.113549.1.1.5': { family: 'rsa', hash: 'sha1' },
  '1.3.14.3.2.29': { family: 'rsa', hash: 'sha1' },
  '1.2.840.113549.1.1.11': { family: 'rsa', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { family: 'rsa', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { family: 'rsa', hash: 'sha512' },
  '1.2.840.10040.4.3': { family: 'dsa', hash: 'sha1' },
  '2.16.840.1.101.3.4.3.2': { family: 'dsa', hash: 'sha256' },
  '1.2.840.10045.4.1': { family: 'ecdsa', hash: 'sha1' },
  '1.2.840.10045.4.3.2': { family: 'ecdsa', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { family: 'ecdsa', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { family: 'ecdsa', hash: 'sha512' },
};

const RSA_FAILURE = 'crypto/rsa: verification error';

function fail(message: string): never {
  throw new RekorError('invalid_entry', message);
}

/** The hash a digest AlgorithmIdentifier names (relic's PkixDigestToHash), if supported. */
export function digestHash(alg: AlgorithmIdentifier | string): Pkcs7Hash | undefined {
  const oid = typeof alg === 'string' ? alg : alg.algorithm;
  return Object.hasOwn(DIGEST_OIDS, oid) ? DIGEST_OIDS[oid] : undefined;
}

/** A Go `int` field: minimal, at most 8 octets. */
function goInt(reader: DerReader): bigint {
  const c = reader.contents(reader.read(Tag.INTEGER));
  if (c.length > 8 || !isMinimalInteger(c)) throw new Error('not a Go int');
  return BigInt.asIntN(c.length * 8, BigInt(`0x${Buffer.from(c).toString('hex')}`));
}

/** relic's UnmarshalRSAPSSParameters: the salt length, once every digest named matches `hash`. */
function pssSaltLength(hash: Pkcs7Hash, params: Uint8Array | undefined): number {
  if (params === undefined || params[0] === Tag.NULL) {
    if (hash !== 'sha1') fail('RSA-PSS parameters not provided but digest type is not SHA-1');
    return 20;
  }
  const algorithmOf = (reader: DerReader): { oid: string; params: DerReader } => {
    const alg = reader.enter(reader.read(Tag.SEQUENCE));
    return { oid: oidToString(alg.contents(alg.read(Tag.OID))), params: alg };
  };
  let hashOid: string;
  let mgf: { oid: string; params: DerReader };
  let salt: bigint;
  let trailer = 1n;
  try {
    const top = new DerReader(params);
    const fields = top.enter(top.read(Tag.SEQUENCE));
    if (!top.done) throw new Error('trailing data');
    hashOid = algorithmOf(fields.enter(fields.read(0xa0))).oid;
    mgf = algorithmOf(fields.enter(fields.read(0xa1)));
    salt = goInt(fields.enter(fields.read(0xa2)));
    const trailerTlv = fields.readOptional(0xa3);
    if (trailerTlv !== undefined) trailer = goInt(fields.enter(trailerTlv));
  } catch {
    return fail('invalid RSA-PSS parameters');
  }
  if (digestHash(hashOid) !== hash) fail('digest type mismatch in RSA-PSS parameters');
  if (mgf.oid !== OID_MGF1) fail('unsupported MGF in RSA-PSS parameters');
  let mgfHash: string;
  try {
    mgfHash = algorithmOf(mgf.params).oid;
  } catch {
    return fail('invalid RSA-PSS parameters');
  }
  if (digestHash(mgfHash) !== hash) fail('digest type mismatch in RSA-PSS parameters');
  if (trailer !== 0n && trailer !== 1n) fail('invalid RSA-PSS parameters');
  // relic turns 0 into the hash size; Go's rsa.VerifyPSS reads -1 the same way and refuses other negatives.
  if (salt === 0n || salt === -1n) return HASH_SIZE[hash];
  if (salt < 0n) fail('crypto/rsa: PSSOptions.SaltLength cannot be negative');
  return salt > 0x7fffffffn ? 0x7fffffff : Number(salt);
}

/** PkixVerify(key, digestAlgorithm, signatureAlgorithm, digest, signature), then relic's retry. */
export function verifySignerSignature(key: PublicKeyInfo, hash: Pkcs7Hash, signatureAlgorithm: AlgorithmIdentifier, digest: Uint8Array, signature: Uint8Array): void {
  const info = SIGNATURE_ALGORITHMS[signatureAlgorithm.algorithm];
  if (info?.hash !== undefined && info.hash !== hash) fail('signature type does not match digest type');
  if (info?.family === 'rsa') {
    if (key.kind !== 'rsa') fail('incorrect key type for signature');
    const pssSaltLengthOf = signatureAlgorithm.algorithm === OID_RSA_PSS ? pssSaltLength(hash, signatureAlgorithm.parameters) : undefined;
    const valid = verifyRsaDigest(key, hash, digest, signature, pssSaltLengthOf === undefined ? {} : { pssSaltLength: pssSaltLengthOf });
    if (!valid && !verifyRsaDigest(key, 'none', digest, signature)) fail(RSA_FAILURE);
    return;
  }
  if (info?.family === 'ecdsa') {
    if (key.kind !== 'ecdsa') fail('incorrect key type for signature');
    const rs = parseRelicEcdsaSignature(signature);
    if (rs === undefined) fail('invalid ECDSA signature');
    if (!verifyEcdsaDigest(key, hash, digest, rs.r, rs.s)) fail('ECDSA verification failed');
    return;
  }
  fail('unsupported public key algorithm');
}
