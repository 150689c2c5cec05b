/**
 * The digest algorithms relic's pkcs7 accepts in a SignerInfo (x509tools.HashOids): MD5, SHA-1
 * and the SHA-2 family. Weak ones are accepted because Rekor accepts them; policy on them is not
 * this module's.
 */
import { createHash } from 'node:crypto';

export interface Digest {
  /** node:crypto's name. */
  readonly name: 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
  readonly oid: string;
  readonly size: number;
  /** DER DigestInfo up to the digest, for PKCS#1 v1.5. */
  readonly digestInfoPrefix: Uint8Array;
}

const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

const DIGESTS: readonly Digest[] = [
  { name: 'md5', oid: '1.2.840.113549.2.5', size: 16, digestInfoPrefix: hex('3020300c06082a864886f70d020505000410') },
  { name: 'sha1', oid: '1.3.14.3.2.26', size: 20, digestInfoPrefix: hex('3021300906052b0e03021a05000414') },
  { name: 'sha224', oid: '2.16.840.1.101.3.4.2.4', size: 28, digestInfoPrefix: hex('302d300d06096086480165030402040500041c') },
  { name: 'sha256', oid: '2.16.840.1.101.3.4.2.1', size: 32, digestInfoPrefix: hex('3031300d060960864801650304020105000420') },
  { name: 'sha384', oid: '2.16.840.1.101.3.4.2.2', size: 48, digestInfoPrefix: hex('3041300d060960864801650304020205000430') },
  { name: 'sha512', oid: '2.16.840.1.101.3.4.2.3', size: 64, digestInfoPrefix: hex('3051300d060960864801650304020305000440') },
];

export function digestByOid(oid: string): Digest | undefined {
  return DIGESTS.find((d) => d.oid === oid);
}

export function computeDigest(digest: Digest, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(digest.name).update(data).digest());
}
