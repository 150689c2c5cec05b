/**
 * Test helpers: TUF metadata built and signed with @tufjs/models (its own canonical JSON) and
 * keys from node:crypto, so the tests check our verifier against an independent signer.
 */
import { constants, createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { Key, MetaFile, Metadata, Root, Signature, Timestamp } from '@tufjs/models';
import { canonicalJson } from '../../../pki/tuf/index.js';

export type Json = { [key: string]: unknown };

export interface TestKey {
  readonly id: string;
  readonly key: Key;
  signer(data: Buffer): Signature;
}

function testKey(keyType: string, scheme: string, publicValue: string, sign: (data: Buffer) => Buffer): TestKey {
  const keyVal = { public: publicValue };
  const id = createHash('sha256').update(JSON.stringify({ keyType, scheme, keyVal })).digest('hex');
  return { id, key: new Key({ keyID: id, keyType, scheme, keyVal }), signer: (data) => new Signature({ keyID: id, sig: sign(data).toString('hex') }) };
}

export function ed25519Key(): TestKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
  return testKey('ed25519', 'ed25519', raw.toString('hex'), (data) => sign(null, data, privateKey));
}

function pem(key: KeyObject): string {
  return key.export({ format: 'pem', type: 'spki' }) as string;
}

export function ecdsaKey(curve: 'P-256' | 'P-384' = 'P-256'): TestKey {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: curve });
  return testKey('ecdsa', 'ecdsa-sha2-nistp256', pem(publicKey), (data) => sign('sha256', data, privateKey));
}

/** The pre-2022 form: keytype ecdsa-sha2-nistp256 with the uncompressed point in hex. */
export function legacyEcdsaKey(): TestKey {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.of(4), Buffer.from(jwk.x as string, 'base64url'), Buffer.from(jwk.y as string, 'base64url')]);
  return testKey('ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp256', point.toString('hex'), (data) => sign('sha256', data, privateKey));
}

export function rsaKey(): TestKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return testKey('rsa', 'rsassa-pss-sha256', pem(publicKey), (data) =>
    sign('sha256', data, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }),
  );
}

export const FUTURE = '2100-01-01T00:00:00Z';

export interface RootOptions {
  readonly keys: Partial<Record<'root' | 'timestamp' | 'snapshot' | 'targets', readonly TestKey[]>>;
  readonly thresholds?: Partial<Record<string, number>>;
  readonly version?: number;
  readonly expires?: string;
}

/** A root whose roles hold the given keys (each role defaults to threshold 1). */
export function rootSigned(options: RootOptions): Root {
  const root = new Root({ version: options.version ?? 1, specVersion: '1.0', expires: options.expires ?? FUTURE });
  for (const [role, keys] of Object.entries(options.keys)) for (const k of keys ?? []) root.addKey(k.key, role);
  const json = root.toJSON() as { roles: Record<string, { threshold: number }> };
  for (const [role, threshold] of Object.entries(options.thresholds ?? {})) {
    const entry = json.roles[role];
    if (entry !== undefined && threshold !== undefined) entry.threshold = threshold;
  }
  return Root.fromJSON(json as never);
}

export function timestampSigned(version = 7, expires = FUTURE): Timestamp {
  return new Timestamp({ version, specVersion: '1.0', expires, snapshotMeta: new MetaFile({ version: 3 }) });
}

/** The signed envelope as JSON, with one signature per signer. */
export function signEnvelope(signed: Root | Timestamp, signers: readonly TestKey[]): Json {
  const metadata = new Metadata<Root | Timestamp>(signed);
  for (const s of signers) metadata.sign((data) => s.signer(data));
  return JSON.parse(JSON.stringify(metadata.toJSON())) as Json;
}

export function tufSpec(metadata: unknown, root: unknown): Json {
  return { metadata: { content: metadata }, root: { content: root } };
}

export function rootFromJson(signed: unknown): Root {
  return Root.fromJSON(signed as never);
}

/**
 * Signs an arbitrary `signed` value (any `_type`, which @tufjs/models cannot model) over our own
 * canonical JSON; used only where the role logic, not the encoding, is under test.
 */
export function resign(signed: Json, ...keys: TestKey[]): Json {
  const text = canonicalJson(signed);
  if (text === undefined) throw new Error('not canonicalizable');
  const signatures = keys.map((key) => key.signer(Buffer.from(text))).map((s) => ({ keyid: s.keyID, sig: s.sig }));
  return { signatures, signed };
}
