/**
 * Test support, not exported from index.ts: keys of every algorithm hashedrekord meets (made with
 * node:crypto, cached per process because RSA-4096 is slow), signatures over digests in each
 * encoding, and certificates. Certificates come from the `openssl` CLI (as a user would make
 * them) or, where a test needs exact validity dates or extensions, from a small DER builder.
 */
import { execFileSync } from 'node:child_process';
import { constants, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519ph } from '@noble/curves/ed25519.js';
import { encodeTlv, encodeUnsignedInteger, Tag } from '../der.js';
import { encodePem } from '../pem.js';
import type { HashAlgorithm } from './hash.js';

export type TestKeyType = 'P-224' | 'P-256' | 'P-384' | 'P-521' | 'RSA-2048' | 'RSA-3072' | 'RSA-4096' | 'Ed25519';

export interface TestKey {
  readonly type: TestKeyType;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** PEM `PUBLIC KEY` text. */
  readonly pem: string;
  readonly spki: Uint8Array;
}

const keys = new Map<string, TestKey>();

function generate(type: TestKeyType): { privateKey: KeyObject; publicKey: KeyObject } {
  if (type === 'Ed25519') return generateKeyPairSync('ed25519');
  if (type.startsWith('RSA-')) return generateKeyPairSync('rsa', { modulusLength: Number(type.slice(4)) });
  return generateKeyPairSync('ec', { namedCurve: type });
}

/** A key pair of `type`, the same one for the whole test process (per `slot`). */
export function testKey(type: TestKeyType, slot = 0): TestKey {
  const id = `${type}#${slot}`;
  let key = keys.get(id);
  if (key === undefined) {
    const { privateKey, publicKey } = generate(type);
    const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
    key = { type, privateKey, publicKey, spki, pem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
    keys.set(id, key);
  }
  return key;
}

export interface SignedDigest {
  readonly digest: Uint8Array;
  readonly signature: Uint8Array;
}

export type SignatureEncoding = 'der' | 'p1363' | 'pss';

/** Signs `message` and returns its digest under `hash` with the signature over that digest. */
export function signMessage(key: TestKey, hash: HashAlgorithm, message: Uint8Array, encoding: SignatureEncoding = 'der'): SignedDigest {
  const digest = new Uint8Array(createHash(hash).update(message).digest());
  if (key.type === 'Ed25519') {
    const seed = Buffer.from(key.privateKey.export({ format: 'jwk' }).d as string, 'base64url');
    // Ed25519ph signs SHA-512(message); the entry carries that digest.
    return { digest: new Uint8Array(createHash('sha512').update(message).digest()), signature: ed25519ph.sign(message, seed) };
  }
  const options =
    encoding === 'pss'
      ? { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
      : { key: key.privateKey, dsaEncoding: encoding === 'p1363' ? ('ieee-p1363' as const) : ('der' as const) };
  return { digest, signature: new Uint8Array(sign(hash, message, options)) };
}

// ---- A DER certificate builder (ECDSA P-256 issuers, SHA-256) -----------------------------

function oid(text: string): Uint8Array {
  const arcs = text.split('.').map(Number);
  const out: number[] = [];
  for (const arc of [(arcs[0] as number) * 40 + (arcs[1] as number), ...arcs.slice(2)]) {
    const chunk = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return encodeTlv(Tag.OID, Uint8Array.from(out));
}

function name(commonName: string): Uint8Array {
  const attribute = encodeTlv(Tag.SEQUENCE, oid('2.5.4.3'), encodeTlv(Tag.UTF8_STRING, Buffer.from(commonName)));
  return encodeTlv(Tag.SEQUENCE, encodeTlv(Tag.SET, attribute));
}

function generalizedTime(date: Date): Uint8Array {
  const text = date.toISOString().replace(/[-:T]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return encodeTlv(Tag.GENERALIZED_TIME, Buffer.from(text));
}

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  const flag = critical ? [encodeTlv(Tag.BOOLEAN, Uint8Array.of(0xff))] : [];
  return encodeTlv(Tag.SEQUENCE, oid(id), ...flag, encodeTlv(Tag.OCTET_STRING, value));
}

export interface CertificateTemplate {
  readonly subject: string;
  readonly issuer: string;
  readonly subjectKey: TestKey;
  readonly issuerKey: TestKey;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly ca?: boolean;
  readonly pathLen?: number;
  /** Raw KeyUsage BIT STRING contents (unused-bits byte first), e.g. [0x02, 0x04] = keyCertSign. */
  readonly keyUsage?: readonly number[];
  /** GeneralNames elements, already DER (see sanEmail, sanOtherName, …). */
  readonly sans?: readonly Uint8Array[];
  readonly sanCritical?: boolean;
  readonly extraExtensions?: readonly Uint8Array[];
  readonly serial?: bigint;
}

export const sanEmail = (v: string) => encodeTlv(0x81, Buffer.from(v));
export const sanDns = (v: string) => encodeTlv(0x82, Buffer.from(v));
export const sanUri = (v: string) => encodeTlv(0x86, Buffer.from(v));
export const sanIp = (bytes: number[]) => encodeTlv(0x87, Uint8Array.from(bytes));
export function sanOtherName(value: string, id = '1.3.6.1.4.1.57264.1.7'): Uint8Array {
  return encodeTlv(0xa0, oid(id), encodeTlv(0xa0, encodeTlv(Tag.UTF8_STRING, Buffer.from(value))));
}
export { extension as certificateExtension };

/** DER certificate signed with ecdsa-with-SHA256 by `issuerKey` (which must be an EC key). */
export function buildCertificate(t: CertificateTemplate): Uint8Array {
  const algorithm = encodeTlv(Tag.SEQUENCE, oid('1.2.840.10045.4.3.2'));
  const extensions: Uint8Array[] = [];
  if (t.ca !== undefined) {
    const fields = [...(t.ca ? [encodeTlv(Tag.BOOLEAN, Uint8Array.of(0xff))] : []), ...(t.pathLen !== undefined ? [encodeUnsignedInteger(BigInt(t.pathLen))] : [])];
    extensions.push(extension('2.5.29.19', true, encodeTlv(Tag.SEQUENCE, ...fields)));
  }
  if (t.keyUsage) extensions.push(extension('2.5.29.15', true, encodeTlv(Tag.BIT_STRING, Uint8Array.from(t.keyUsage))));
  if (t.sans) extensions.push(extension('2.5.29.17', t.sanCritical ?? false, encodeTlv(Tag.SEQUENCE, ...t.sans)));
  extensions.push(...(t.extraExtensions ?? []));
  const tbs = encodeTlv(
    Tag.SEQUENCE,
    encodeTlv(0xa0, encodeUnsignedInteger(2n)),
    encodeUnsignedInteger(t.serial ?? 1n),
    algorithm,
    name(t.issuer),
    encodeTlv(Tag.SEQUENCE, generalizedTime(t.notBefore), generalizedTime(t.notAfter)),
    name(t.subject),
    t.subjectKey.spki,
    ...(extensions.length > 0 ? [encodeTlv(0xa3, encodeTlv(Tag.SEQUENCE, ...extensions))] : []),
  );
  const signature = sign('sha256', tbs, t.issuerKey.privateKey);
  return encodeTlv(Tag.SEQUENCE, tbs, algorithm, encodeTlv(Tag.BIT_STRING, Uint8Array.of(0), signature));
}

export function certificatePem(...ders: Uint8Array[]): string {
  return ders.map((d) => encodePem('CERTIFICATE', d)).join('');
}

// ---- Certificates made with the openssl CLI ---------------------------------------------------

export interface OpensslFixtures {
  /** Self-signed P-256 certificate with every SAN kind, made by `openssl req -x509`. */
  readonly selfSigned: { readonly pem: string; readonly key: TestKey };
  /** root -> intermediate -> leaf (P-256), leaf with an email SAN and the sigstore OtherName. */
  readonly chain: { readonly root: string; readonly intermediate: string; readonly leaf: string; readonly leafKey: TestKey };
}

function keyFromFile(path: string): TestKey {
  const privateKey = createPrivateKey(readFileSync(path));
  const publicKey = createPublicKey(privateKey);
  return {
    type: 'P-256',
    privateKey,
    publicKey,
    spki: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
    pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Runs openssl in a temporary directory; throws if openssl is missing (tests need it). */
export function opensslFixtures(): OpensslFixtures {
  const dir = mkdtempSync(join(tmpdir(), 'rekor-ts-x509-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  try {
    writeFileSync(
      join(dir, 'ext.cnf'),
      [
        '[ca]', 'basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign',
        '[leaf]', 'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=codeSigning',
        'subjectAltName=critical,email:Signer@Example.COM,otherName:1.3.6.1.4.1.57264.1.7;UTF8:signer-identity',
      ].join('\n'),
    );
    run('req', '-x509', ...ec, '-keyout', 'self.key', '-out', 'self.pem', '-subj', '/CN=rekor-ts self-signed', '-days', '30',
      '-addext', 'subjectAltName=email:Alice@Example.com,DNS:example.com,IP:192.0.2.7,IP:2001:db8::1,URI:https://github.com/o/r/.github/workflows/w.yml@refs/heads/main,otherName:1.3.6.1.4.1.57264.1.7;UTF8:alice');
    run('req', '-x509', ...ec, '-keyout', 'root.key', '-out', 'root.pem', '-subj', '/CN=rekor-ts root', '-days', '30',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    run('req', '-new', ...ec, '-keyout', 'inter.key', '-out', 'inter.csr', '-subj', '/CN=rekor-ts intermediate');
    run('x509', '-req', '-in', 'inter.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'inter.pem', '-days', '30', '-extfile', 'ext.cnf', '-extensions', 'ca');
    run('req', '-new', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=rekor-ts leaf');
    run('x509', '-req', '-in', 'leaf.csr', '-CA', 'inter.pem', '-CAkey', 'inter.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '30', '-extfile', 'ext.cnf', '-extensions', 'leaf');
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    return {
      selfSigned: { pem: read('self.pem'), key: keyFromFile(join(dir, 'self.key')) },
      chain: { root: read('root.pem'), intermediate: read('inter.pem'), leaf: read('leaf.pem'), leafKey: keyFromFile(join(dir, 'leaf.key')) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
