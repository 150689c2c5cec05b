/**
 * A SignerInfo's signature over a digest, with the algorithm rules and error texts of relic's
 * x509tools.PkixVerify (what Rekor's rfc3161 and jar checks run): the signature algorithm may be
 * a bare key algorithm (rsaEncryption, id-ecPublicKey) or a combined one (sha256WithRSA…), whose
 * digest must then match; RSA PKCS#1 v1.5 and PSS (explicit parameters), ECDSA over NIST
 * curves. Go's crypto verifies a precomputed digest; node:crypto always hashes, so RSA runs as
 * raw RSA (publicDecrypt, no padding) with the encoding checked here, and ECDSA runs on
 * @noble/curves. Returns an error text, or undefined when the signature verifies.
 */
import { constants, createHash, createPublicKey, publicDecrypt } from 'node:crypto';
import type { PublicKeyInfo } from '../x509/index.js';
import { isUniversal, parseDer, readBigInt, UNIVERSAL, type Asn1Node } from './asn1.js';
import { digestByOid, type Digest } from './digest.js';
import { CmsError } from './errors.js';
import { readAlgorithmIdentifier, type AlgorithmIdentifier } from './signed-data.js';

type KeyFamily = 'rsa' | 'dsa' | 'ecdsa';
interface SignatureAlgorithm {
  readonly family: KeyFamily;
  /** The digest a combined algorithm implies; undefined for a bare key algorithm. */
  readonly digest: Digest['name'] | undefined;
}

const OID_RSA_PSS = '1.2.840.113549.1.1.10';
const OID_MGF1 = '1.2.840.113549.1.1.8';

const SIGNATURE_ALGORITHMS: ReadonlyMap<string, SignatureAlgorithm> = new Map([
  ['1.2.840.113549.1.1.1', { family: 'rsa', digest: undefined }],
  [OID_RSA_PSS, { family: 'rsa', digest: undefined }],
  ['1.2.840.10040.4.1', { family: 'dsa', digest: undefined }],
  ['1.2.840.10045.2.1', { family: 'ecdsa', digest: undefined }],
  ['1.2.840.113549.1.1.4', { family: 'rsa', digest: 'md5' }],
  ['1.2.840.113549.1.1.5', { family: 'rsa', digest: 'sha1' }],
  ['1.3.14.3.2.29', { family: 'rsa', digest: 'sha1' }],
  ['1.2.840.113549.1.1.11', { family: 'rsa', digest: 'sha256' }],
  ['1.2.840.113549.1.1.12', { family: 'rsa', digest: 'sha384' }],
  ['1.2.840.113549.1.1.13', { family: 'rsa', digest: 'sha512' }],
  ['1.2.840.10040.4.3', { family: 'dsa', digest: 'sha1' }],
  ['2.16.840.1.101.3.4.3.2', { family: 'dsa', digest: 'sha256' }],
  ['1.2.840.10045.4.1', { family: 'ecdsa', digest: 'sha1' }],
  ['1.2.840.10045.4.3.2', { family: 'ecdsa', digest: 'sha256' }],
  ['1.2.840.10045.4.3.3', { family: 'ecdsa', digest: 'sha384' }],
  ['1.2.840.10045.4.3.4', { family: 'ecdsa', digest: 'sha512' }],
]);

const RSA_FAILURE = 'crypto/rsa: verification error';
/** Go's crypto/rsa refuses smaller keys; larger ones are not worth the CPU of a hostile input. */
const MIN_RSA_BITS = 1024;
const MAX_RSA_BITS = 16384;
const MAX_RSA_EXPONENT = 2n ** 31n - 1n;

type Rsa = Extract<PublicKeyInfo, { kind: 'rsa' }>;
type Ecdsa = Extract<PublicKeyInfo, { kind: 'ecdsa' }>;

/** s^e mod n as exactly k octets, or undefined (wrong length, s >= n, key refused). */
function rsaPublic(key: Rsa, signature: Uint8Array): Buffer | undefined {
  const k = Math.ceil(key.modulusBits / 8);
  if (key.modulusBits < MIN_RSA_BITS || key.modulusBits > MAX_RSA_BITS || signature.length !== k) return undefined;
  // Go's crypto/rsa refuses these exponents; OpenSSL would compute with them.
  if (key.exponent < 2n || key.exponent > MAX_RSA_EXPONENT || key.exponent % 2n === 0n) return undefined;
  try {
    const keyObject = createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' });
    const em = publicDecrypt({ key: keyObject, padding: constants.RSA_NO_PADDING }, signature);
    return em.length === k ? em : undefined;
  } catch {
    return undefined;
  }
}

/** EMSA-PKCS1-v1_5 with the DigestInfo prefix, or none for Go's "hash 0" (raw digest). */
function verifyPkcs1v15(key: Rsa, prefix: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean {
  const em = rsaPublic(key, signature);
  if (em === undefined) return false;
  const t = Buffer.concat([prefix, digest]);
  if (em.length < t.length + 11) return false;
  const expected = Buffer.concat([Buffer.of(0, 1), Buffer.alloc(em.length - t.length - 3, 0xff), Buffer.of(0), t]);
  return em.equals(expected);
}

function mgf1(hash: string, seed: Uint8Array, length: number): Buffer {
  const blocks: Buffer[] = [];
  let produced = 0;
  for (let counter = 0; produced < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = createHash(hash).update(seed).update(c).digest();
    blocks.push(block);
    produced += block.length;
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** EMSA-PSS verification (RFC 8017 §9.1.2) with a fixed salt length, as Go's rsa.VerifyPSS. */
function verifyPss(key: Rsa, digest: Digest, mHash: Uint8Array, signature: Uint8Array, saltLength: number): boolean {
  const decrypted = rsaPublic(key, signature);
  if (decrypted === undefined) return false;
  const emBits = key.modulusBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = digest.size;
  if (emLen < hLen + saltLength + 2) return false;
  if (decrypted.length > emLen && decrypted[0] !== 0) return false;
  const em = decrypted.subarray(decrypted.length - emLen);
  if (em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const topMask = (0xff << (8 - (8 * emLen - emBits))) & 0xff;
  if (((maskedDb[0] as number) & topMask) !== 0) return false;
  const mask = mgf1(digest.name, h, maskedDb.length);
  const db = Buffer.from(maskedDb.map((b, i) => b ^ (mask[i] as number)));
  db[0] = (db[0] as number) & ~topMask & 0xff;
  const psLen = emLen - hLen - saltLength - 2;
  for (let i = 0; i < psLen; i++) if (db[i] !== 0) return false;
  if (db[psLen] !== 0x01) return false;
  const salt = db.subarray(db.length - saltLength);
  const expected = createHash(digest.name).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  return expected.equals(h);
}

function explicitChild(node: Asn1Node | undefined, tag: number): Asn1Node | undefined {
  return node !== undefined && node.tagClass === 'context' && node.tag === tag && node.constructed ? node.children[0] : undefined;
}

/** relic's UnmarshalRSAPSSParameters: every hash must be the SignerInfo's; salt 0 means hLen. */
function pssSaltLength(digest: Digest, parameters: Asn1Node | undefined): number {
  if (parameters === undefined || isUniversal(parameters, UNIVERSAL.NULL, false)) {
    if (digest.name !== 'sha1') throw new CmsError('RSA-PSS parameters not provided but digest type is not SHA-1');
    return 20;
  }
  const invalid = () => new CmsError('invalid RSA-PSS parameters');
  if (!isUniversal(parameters, UNIVERSAL.SEQUENCE, true)) throw invalid();
  const [hashField, mgfField, saltField, trailerField] = parameters.children;
  let hashAlg: AlgorithmIdentifier;
  let mgfAlg: AlgorithmIdentifier;
  let salt: bigint;
  let trailer = 1n;
  try {
    const hashNode = explicitChild(hashField, 0);
    const mgfNode = explicitChild(mgfField, 1);
    const saltNode = explicitChild(saltField, 2);
    if (hashNode === undefined || mgfNode === undefined || saltNode === undefined || !isUniversal(saltNode, UNIVERSAL.INTEGER, false)) throw invalid();
    hashAlg = readAlgorithmIdentifier(hashNode, 'RSASSA-PSS-params.hashAlgorithm');
    mgfAlg = readAlgorithmIdentifier(mgfNode, 'RSASSA-PSS-params.maskGenAlgorithm');
    salt = readBigInt(saltNode, 'RSASSA-PSS-params.saltLength');
    const trailerNode = explicitChild(trailerField, 3);
    if (trailerNode !== undefined) {
      if (!isUniversal(trailerNode, UNIVERSAL.INTEGER, false)) throw invalid();
      trailer = readBigInt(trailerNode, 'RSASSA-PSS-params.trailerField');
    }
  } catch {
    throw invalid();
  }
  if (hashAlg.oid !== digest.oid) throw new CmsError('digest type mismatch in RSA-PSS parameters');
  if (mgfAlg.oid !== OID_MGF1) throw new CmsError('unsupported MGF in RSA-PSS parameters');
  const mgfHash = mgfAlg.parameters === undefined ? undefined : readAlgorithmIdentifier(mgfAlg.parameters, 'MGF1 parameters');
  if (mgfHash?.oid !== digest.oid) throw new CmsError('digest type mismatch in RSA-PSS parameters');
  if (trailer !== 0n && trailer !== 1n) throw invalid();
  if (salt < 0n || salt > 0x7fffffffn) return -1;
  return salt === 0n ? digest.size : Number(salt);
}

/** r and s from the ASN.1 SEQUENCE relic expects (no bytes after it). */
function ecdsaRs(signature: Uint8Array): { r: bigint; s: bigint } {
  const invalid = new CmsError('invalid ECDSA signature');
  try {
    const { node, trailing } = parseDer(signature);
    const [r, s] = node.children;
    if (trailing !== 0 || !isUniversal(node, UNIVERSAL.SEQUENCE, true)) throw invalid;
    if (r === undefined || s === undefined || !isUniversal(r, UNIVERSAL.INTEGER, false) || !isUniversal(s, UNIVERSAL.INTEGER, false)) throw invalid;
    return { r: readBigInt(r, 'r'), s: readBigInt(s, 's') };
  } catch {
    throw invalid;
  }
}

function verifyEcdsa(key: Ecdsa, digest: Uint8Array, signature: Uint8Array): string | undefined {
  const { r, s } = ecdsaRs(signature);
  const n = key.curve.order;
  if (r <= 0n || s <= 0n || r >= n || s >= n) return 'ECDSA verification failed';
  const hex = (v: bigint) => v.toString(16).padStart(key.curve.byteLength * 2, '0');
  try {
    const compact = Buffer.from(hex(r) + hex(s), 'hex');
    // lowS off: Go accepts both s and n - s. noble truncates the digest to the order's bit length, as Go does.
    if (key.curve.noble.verify(compact, digest, key.point, { prehash: false, lowS: false })) return undefined;
  } catch {
    // falls through to the failure
  }
  return 'ECDSA verification failed';
}

/**
 * Checks `signature` over `digest` (already computed with `digestAlgorithm`) with `key`.
 * Returns relic's error text on failure; throws CmsError for unreadable algorithm parameters.
 */
export function verifySignerSignature(
  key: PublicKeyInfo,
  digestAlgorithm: AlgorithmIdentifier,
  signatureAlgorithm: AlgorithmIdentifier,
  digest: Uint8Array,
  signature: Uint8Array,
): string | undefined {
  const hash = digestByOid(digestAlgorithm.oid);
  if (hash === undefined) return `unsupported hash algorithm ${digestAlgorithm.oid}`;
  const info = SIGNATURE_ALGORITHMS.get(signatureAlgorithm.oid);
  if (info?.digest !== undefined && info.digest !== hash.name) return 'signature type does not match digest type';
  switch (info?.family) {
    case 'rsa': {
      if (key.kind !== 'rsa') return 'incorrect key type for signature';
      let ok: boolean;
      if (signatureAlgorithm.oid === OID_RSA_PSS) {
        const saltLength = pssSaltLength(hash, signatureAlgorithm.parameters);
        ok = saltLength >= 0 && verifyPss(key, hash, digest, signature, saltLength);
      } else {
        ok = verifyPkcs1v15(key, hash.digestInfoPrefix, digest, signature);
      }
      // relic retries without the DigestInfo wrapper: some TSAs sign the bare digest.
      return ok || verifyPkcs1v15(key, new Uint8Array(), digest, signature) ? undefined : RSA_FAILURE;
    }
    case 'ecdsa':
      if (key.kind !== 'ecdsa') return 'incorrect key type for signature';
      return verifyEcdsa(key, digest, signature);
    default:
      return 'unsupported public key algorithm';
  }
}
