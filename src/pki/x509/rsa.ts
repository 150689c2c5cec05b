/**
 * RSA signature checks over a digest in plain node:crypto (the fallback for the native addon):
 * the public-key operation is OpenSSL's raw RSA (publicDecrypt without padding), the encoding
 * checks are written out. PKCS#1 v1.5 compares the whole encoded message, as Go's
 * rsa.VerifyPKCS1v15 does (`'none'` is Go's hash 0: the bare digest, no DigestInfo); PSS follows
 * RFC 8017 §9.1.2 with MGF1 over the same hash and either any salt length (Go's
 * PSSSaltLengthAuto) or exactly the one given. The caller has already checked key size,
 * exponent and signature length. Never throws.
 */
import { constants, createHash, createPublicKey, publicDecrypt } from 'node:crypto';
import type { DigestAlgorithm } from './hash.js';

export interface RsaKeyMaterial {
  readonly spki: Uint8Array;
  readonly modulusBits: number;
}

export type Pkcs1Hash = DigestAlgorithm | 'none';

const DIGEST_INFO_PREFIX: Record<Pkcs1Hash, Buffer> = {
  none: Buffer.alloc(0),
  md5: Buffer.from('3020300c06082a864886f70d020505000410', 'hex'),
  sha1: Buffer.from('3021300906052b0e03021a05000414', 'hex'),
  sha224: Buffer.from('302d300d06096086480165030402040500041c', 'hex'),
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

/** s^e mod n as k bytes, or undefined if OpenSSL refuses (e.g. s >= n). */
function rsaPublic(key: RsaKeyMaterial, signature: Uint8Array): Buffer | undefined {
  try {
    const keyObject = createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' });
    return publicDecrypt({ key: keyObject, padding: constants.RSA_NO_PADDING }, signature);
  } catch {
    return undefined;
  }
}

export function verifyPkcs1v15(key: RsaKeyMaterial, hash: Pkcs1Hash, digest: Uint8Array, signature: Uint8Array): boolean {
  const k = Math.ceil(key.modulusBits / 8);
  const t = Buffer.concat([DIGEST_INFO_PREFIX[hash], digest]);
  if (k < t.length + 11) return false;
  const em = rsaPublic(key, signature);
  if (em === undefined || em.length !== k) return false;
  const expected = Buffer.concat([Buffer.from([0, 1]), Buffer.alloc(k - t.length - 3, 0xff), Buffer.from([0]), t]);
  return em.equals(expected);
}

function mgf1(hash: DigestAlgorithm, seed: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0; blocks.length * seed.length < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    blocks.push(createHash(hash).update(seed).update(c).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** `saltLength` undefined: any salt length (auto); otherwise exactly that many octets. */
export function verifyPss(key: RsaKeyMaterial, hash: DigestAlgorithm, digest: Uint8Array, signature: Uint8Array, saltLength?: number): boolean {
  const k = Math.ceil(key.modulusBits / 8);
  const emBits = key.modulusBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = digest.length;
  const decrypted = rsaPublic(key, signature);
  if (decrypted === undefined || decrypted.length !== k || emLen < hLen + (saltLength ?? 0) + 2) return false;
  // When emBits is a multiple of 8 the encoded message is one byte shorter than the modulus.
  if (k > emLen && decrypted[0] !== 0) return false;
  const em = decrypted.subarray(k - emLen);
  if (em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const topBits = 8 * emLen - emBits;
  const topMask = (0xff << (8 - topBits)) & 0xff;
  if (((maskedDb[0] as number) & topMask) !== 0) return false;
  const db = Buffer.from(mgf1(hash, Buffer.from(h), maskedDb.length).map((m, i) => m ^ (maskedDb[i] as number)));
  db[0] = (db[0] as number) & ~topMask & 0xff;
  const one = db.findIndex((b) => b !== 0);
  if (one < 0 || db[one] !== 0x01) return false;
  const salt = db.subarray(one + 1);
  if (saltLength !== undefined && salt.length !== saltLength) return false;
  const expected = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  return expected.equals(h);
}
