/**
 * Checking a SignedData's signer infos as relic's pkcs7 SignedData.Verify does (what Rekor's jar
 * kind relies on): every signer info must verify; its certificate is found among the bundled ones
 * by issuer and serial; with authenticated attributes the messageDigest must match and the
 * signature covers the attributes, otherwise the content itself. Signature algorithms as relic:
 * RSA PKCS#1 v1.5 (with its retry without the DigestInfo wrapper), RSA-PSS with explicit
 * parameters, and ECDSA; DSA and EdDSA are refused ("unsupported public key algorithm").
 * X.509 chains are not validated (relic leaves that to callers, and Rekor never asks).
 * Failures throw RekorError('invalid_entry') with relic's texts.
 */
import { constants, createHash, createPublicKey, timingSafeEqual, verify as nodeVerify, publicDecrypt, type KeyObject } from 'node:crypto';
import { RekorError } from '../../errors.js';
import { DerError, DerReader, Tag, oidToString } from '../der.js';
import { parseCertificate, type Certificate, type PublicKeyInfo } from '../x509/index.js';
import { attributeValue, type AlgorithmIdentifier, type SignedData, type SignerInfo } from './signed-data.js';

export type Pkcs7Hash = 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

const DIGEST_OIDS: Readonly<Record<string, Pkcs7Hash>> = {
  '1.2.840.113549.2.5': 'md5',
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

type KeyFamily = 'rsa' | 'ecdsa' | 'dsa' | 'rsa-pss';

/** relic's sigAlgInfos: signature (or bare key) algorithm OID → key family and implied digest. */
const SIGNATURE_ALGORITHMS: Readonly<Record<string, { family: KeyFamily; hash: Pkcs7Hash | undefined }>> = {
  '1.2.840.113549.1.1.1': { family: 'rsa', hash: undefined },
  '1.2.840.113549.1.1.10': { family: 'rsa-pss', hash: undefined },
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

const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const RSA_FAILURE = 'crypto/rsa: verification error';
// Go's crypto/rsa refuses keys outside these bounds before any arithmetic.
const MIN_RSA_BITS = 1024;
const MAX_RSA_BITS = 16384;

export interface VerifiedSigner {
  readonly signerInfo: SignerInfo;
  readonly certificate: Certificate;
  readonly hash: Pkcs7Hash;
}

function fail(message: string): never {
  throw new RekorError('invalid_entry', message);
}

/** The hash a digest AlgorithmIdentifier names (relic's PkixDigestToHash), if supported. */
export function digestHash(alg: AlgorithmIdentifier | string): Pkcs7Hash | undefined {
  const oid = typeof alg === 'string' ? alg : alg.algorithm;
  return Object.hasOwn(DIGEST_OIDS, oid) ? DIGEST_OIDS[oid] : undefined;
}

/** Contents of the serial INTEGER of a certificate's TBSCertificate. */
function certificateSerial(der: Uint8Array): Uint8Array {
  const top = new DerReader(der);
  const cert = top.enter(top.read(Tag.SEQUENCE));
  const tbs = cert.enter(cert.read(Tag.SEQUENCE));
  tbs.readOptional(0xa0);
  return tbs.contents(tbs.read(Tag.INTEGER));
}

export interface Bundled {
  readonly certificate: Certificate;
  readonly serial: Uint8Array;
}

/** relic parses every certificate but reports a parse error only if the signer's is missing. */
export function parseBundled(certificates: readonly Uint8Array[]): { certs: Bundled[]; error: string | undefined } {
  const certs: Bundled[] = [];
  let error: string | undefined;
  for (const der of certificates) {
    try {
      const certificate = parseCertificate(der);
      certs.push({ certificate, serial: certificateSerial(der) });
    } catch (err) {
      if (err instanceof RekorError) error = err.message;
      else if (err instanceof DerError) error = 'x509: malformed certificate';
      else throw err;
    }
  }
  return { certs, error };
}

function hexSerial(serial: Uint8Array): string {
  // big.Int's %x: no leading zeros, a minus sign for negative values.
  const negative = ((serial[0] ?? 0) & 0x80) !== 0;
  let value = BigInt(`0x${Buffer.from(serial).toString('hex') || '0'}`);
  if (negative) value -= 1n << BigInt(serial.length * 8);
  return value < 0n ? `-${(-value).toString(16)}` : value.toString(16);
}

// relic's x509tools LDAP-style attribute names.
const NAME_LABELS: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN', '2.5.4.4': 'surname', '2.5.4.5': 'serialNumber', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST',
  '2.5.4.9': 'street', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.12': 'title', '2.5.4.13': 'description',
  '2.5.4.17': 'postalCode', '2.5.4.18': 'postOfficeBox', '2.5.4.20': 'telephoneNumber', '2.5.4.42': 'givenName',
  '2.5.4.43': 'initials', '0.9.2342.19200300.100.1.1': 'UID', '0.9.2342.19200300.100.1.25': 'dc', '1.2.840.113549.1.9.1': 'emailAddress',
};

/** relic's FormatPkixName in LDAP style: last RDN first, `, ` between RDNs, ` + ` inside one. */
function describeName(name: Uint8Array): string {
  try {
    const top = new DerReader(name);
    const rdns = top.enter(top.read(Tag.SEQUENCE));
    const parts: string[] = [];
    while (!rdns.done) {
      const set = rdns.enter(rdns.read(Tag.SET));
      const values: string[] = [];
      while (!set.done) {
        const atv = set.enter(set.read(Tag.SEQUENCE));
        const oid = oidToString(atv.contents(atv.read(Tag.OID)));
        values.push(`${NAME_LABELS[oid] ?? oid}=${Buffer.from(atv.contents(atv.read())).toString('utf8')}`);
      }
      parts.push(values.join(' + '));
    }
    return parts.reverse().join(', ');
  } catch {
    return '<invalid>';
  }
}

function keyObject(key: PublicKeyInfo): KeyObject | undefined {
  try {
    return createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

const OID_MGF1 = '1.2.840.113549.1.1.8';
const HASH_SIZES: Readonly<Record<Pkcs7Hash, number>> = { md5: 16, sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };

/** relic's UnmarshalRSAPSSParameters: the salt length, once every digest named matches `hash`. */
function pssSaltLength(hash: Pkcs7Hash, params: Uint8Array | undefined): number {
  if (params === undefined || params[0] === Tag.NULL) {
    if (hash !== 'sha1') fail('RSA-PSS parameters not provided but digest type is not SHA-1');
    return 20;
  }
  const invalidParams = (): never => fail('invalid RSA-PSS parameters');
  let fields: DerReader;
  try {
    const top = new DerReader(params);
    fields = top.enter(top.read(Tag.SEQUENCE));
    if (!top.done) invalidParams();
  } catch (err) {
    if (err instanceof RekorError) throw err;
    return invalidParams();
  }
  const algorithmOf = (reader: DerReader): { oid: string; params: DerReader } => {
    const alg = reader.enter(reader.read(Tag.SEQUENCE));
    return { oid: oidToString(alg.contents(alg.read(Tag.OID))), params: alg };
  };
  let hashOid: string;
  let mgf: { oid: string; params: DerReader };
  let salt: number;
  let trailer = 1;
  try {
    hashOid = algorithmOf(fields.enter(fields.read(0xa0))).oid;
    mgf = algorithmOf(fields.enter(fields.read(0xa1)));
    const saltField = fields.enter(fields.read(0xa2));
    salt = Number(BigInt.asIntN(64, BigInt(`0x${Buffer.from(saltField.contents(saltField.read(Tag.INTEGER))).toString('hex') || '0'}`)));
    const trailerTlv = fields.readOptional(0xa3);
    if (trailerTlv !== undefined) {
      const t = fields.enter(trailerTlv);
      trailer = Number(BigInt(`0x${Buffer.from(t.contents(t.read(Tag.INTEGER))).toString('hex') || '0'}`));
    }
  } catch (err) {
    if (err instanceof RekorError) throw err;
    return invalidParams();
  }
  if (digestHash(hashOid) !== hash) fail('digest type mismatch in RSA-PSS parameters');
  if (mgf.oid !== OID_MGF1) fail('unsupported MGF in RSA-PSS parameters');
  let mgfHash: string;
  try {
    mgfHash = algorithmOf(mgf.params).oid;
  } catch {
    return invalidParams();
  }
  if (digestHash(mgfHash) !== hash) fail('digest type mismatch in RSA-PSS parameters');
  if (trailer !== 0 && trailer !== 1) invalidParams();
  // Go's PSSOptions: 0 is filled in above by relic, -1 means "the hash size".
  return salt === 0 || salt === -1 ? HASH_SIZES[hash] : salt;
}

/** relic's x509tools.PkixVerify over `message` (node:crypto hashes it with `hash`). */
function verifySignature(key: PublicKeyInfo, hash: Pkcs7Hash, si: SignerInfo, message: Uint8Array): void {
  const info = SIGNATURE_ALGORITHMS[si.signatureAlgorithm.algorithm];
  if (info?.hash !== undefined && info.hash !== hash) fail('signature type does not match digest type');
  const family = info?.family;
  if (family === 'rsa-pss') {
    if (key.kind !== 'rsa') fail('incorrect key type for signature');
    const saltLength = pssSaltLength(hash, si.signatureAlgorithm.parameters);
    const object = keyObject(key);
    let valid = false;
    try {
      valid =
        object !== undefined &&
        saltLength >= 0 &&
        key.modulusBits >= MIN_RSA_BITS &&
        key.modulusBits <= MAX_RSA_BITS &&
        nodeVerify(hash, message, { key: object, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, si.signature);
    } catch {
      valid = false;
    }
    if (!valid) fail(RSA_FAILURE);
    return;
  }
  if (family === 'rsa') {
    if (key.kind !== 'rsa') fail('incorrect key type for signature');
    const k = Math.ceil(key.modulusBits / 8);
    if (key.modulusBits < MIN_RSA_BITS || key.modulusBits > MAX_RSA_BITS || si.signature.length !== k) fail(RSA_FAILURE);
    const object = keyObject(key);
    if (object === undefined) fail(RSA_FAILURE);
    try {
      if (nodeVerify(hash, message, { key: object, padding: constants.RSA_PKCS1_PADDING }, si.signature)) return;
    } catch {
      // An OpenSSL refusal is a failed verification here.
    }
    // relic retries without the DigestInfo wrapper (some old timestamping services sign that way).
    const digest = createHash(hash).update(message).digest();
    try {
      const payload = publicDecrypt({ key: object, padding: constants.RSA_PKCS1_PADDING }, si.signature);
      if (payload.length === digest.length && timingSafeEqual(payload, digest)) return;
    } catch {
      // Bad padding: not a signature of this digest either.
    }
    fail(RSA_FAILURE);
  }
  if (family === 'ecdsa') {
    if (key.kind !== 'ecdsa') fail('incorrect key type for signature');
    const object = keyObject(key);
    let valid = false;
    try {
      valid = object !== undefined && nodeVerify(hash, message, { key: object, dsaEncoding: 'der' }, si.signature);
    } catch {
      valid = false;
    }
    if (!valid) fail('ECDSA verification failed');
    return;
  }
  fail('unsupported public key algorithm');
}

/** The messageDigest attribute's OCTET STRING (relic's AttributeList.GetOne). */
function messageDigest(si: SignerInfo): Uint8Array {
  const md = attributeValue(si.authenticatedAttributes, OID_MESSAGE_DIGEST, (der) => {
    const reader = new DerReader(der);
    return reader.contents(reader.read(Tag.OCTET_STRING));
  });
  if (md === undefined) fail(`attribute not found: ${OID_MESSAGE_DIGEST}`);
  return md;
}

/** relic's SignerInfo.Verify against `content`, finding the signer among `bundled`. */
export function verifySignerInfo(si: SignerInfo, content: Uint8Array, bundled: { certs: readonly Bundled[]; error: string | undefined }): VerifiedSigner {
  const hash = digestHash(si.digestAlgorithm);
  if (hash === undefined) fail(`pkcs7: unsupported hash algorithm ${si.digestAlgorithm.algorithm}`);
  let message = content;
  if (si.authenticatedAttributes !== undefined && si.authenticatedAttributesSet !== undefined) {
    const md = messageDigest(si);
    const digest = createHash(hash).update(content).digest();
    if (md.length !== digest.length || !timingSafeEqual(md, digest)) fail('pkcs7: content digest does not match');
    message = si.authenticatedAttributesSet;
  }
  const signer = bundled.certs.find((c) => Buffer.from(c.certificate.rawIssuer).equals(si.issuer) && Buffer.from(c.serial).equals(si.serial));
  if (signer === undefined) {
    if (bundled.error !== undefined) fail(bundled.error);
    fail(`certificate missing from signedData: serial=${hexSerial(si.serial)} issuer: ${describeName(si.issuer)}`);
  }
  verifySignature(signer.certificate.publicKey, hash, si, message);
  return { signerInfo: si, certificate: signer.certificate, hash };
}

/**
 * relic's SignedData.Verify: `external` is the detached content; if content is also embedded the
 * two must be equal. Returns every signer (all must verify).
 */
export function verifySignedData(sd: SignedData, external: Uint8Array | undefined): VerifiedSigner[] {
  let content = sd.content;
  if (content === undefined) {
    if (external === undefined) fail('pkcs7: missing content');
    content = external;
  } else if (external !== undefined && !Buffer.from(external).equals(content)) {
    fail('pkcs7: internal and external content were both provided but are not equal');
  }
  if (sd.signerInfos.length === 0) fail('pkcs7 contains no signatures');
  const bundled = parseBundled(sd.certificates);
  return sd.signerInfos.map((si) => verifySignerInfo(si, content, bundled));
}
