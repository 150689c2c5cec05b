/**
 * Signed TUF metadata as Rekor's `tuf` PKI format reads it (pkg/pki/tuf on go-tuf v0.7):
 * a root.json is the "public key" — it must verify against its own root role — and any signed
 * metadata is the "signature", verified for the role its `_type` names with the root's keys
 * and thresholds, then checked for type, version and expiry (against the caller's clock, as
 * go-tuf does). The canonical value of either is the RFC 8785 JCS form of the envelope as Go
 * re-marshals it: only `signatures` (`keyid`, lower-case hex `sig`) and `signed`. Parse and
 * verification failures are RekorError('invalid_entry') with go-tuf's texts.
 */
import canonicalizeModule from 'canonicalize';
import { canonicalJson } from './cjson.js';
import { boolField, checkDepth, intField, isObject, member, rawMember, stringArray, stringField, timeField, tufError, typeError, type GoTime, type JsonObject } from './go-json.js';
import { decodeHexBytes } from './hex.js';
import { tufVerifier, type TufVerifier } from './keys.js';

type Canonicalize = (input: unknown) => string | undefined;
const loaded = canonicalizeModule as unknown as Canonicalize | { default: Canonicalize };
const jcs: Canonicalize = typeof loaded === 'function' ? loaded : loaded.default;

/** Far beyond any real metadata, and shallow enough for the recursive encoders. */
export const MAX_TUF_NESTING = 256;

const TOP_LEVEL_ROLES = new Set(['root', 'targets', 'snapshot', 'timestamp']);

export interface TufSignature {
  readonly keyId: string;
  readonly sig: Uint8Array;
}

/** A parsed `data.Signed` envelope and the `signedMeta` read from its `signed` member. */
export interface TufSigned {
  /** The `signed` value; undefined when the member is absent. */
  readonly signed: unknown;
  /** null when the envelope had no (or a null) `signatures` member. */
  readonly signatures: readonly TufSignature[] | null;
  readonly type: string;
  readonly version: number;
  readonly specVersion: string;
  readonly expires: GoTime;
  /** JCS of the envelope as Go re-marshals it: what Rekor stores and hashes. */
  readonly canonical: Uint8Array;
}

function parseSignatures(value: unknown): TufSignature[] | null {
  if (value === undefined) return null;
  if (!Array.isArray(value)) throw typeError(value, '[]data.Signature', 'Signed.signatures');
  return value.map((item: unknown) => {
    if (item === null) return { keyId: '', sig: new Uint8Array(0) };
    if (!isObject(item)) throw typeError(item, 'data.Signature', 'Signed.signatures');
    const keyId = stringField(item, 'keyid', 'Signed.signatures.keyid');
    // HexBytes decodes even null (and refuses it); an absent member leaves it empty.
    const sig = rawMember(item, 'sig');
    return { keyId, sig: sig.present ? decodeHexBytes(sig.value) : new Uint8Array(0) };
  });
}

/**
 * pki/tuf NewSignature: json.Unmarshal into data.Signed, then the `signed` member into
 * signedMeta. `what` names the input in messages about nesting.
 */
export function parseTufSigned(envelope: unknown, what: string): TufSigned {
  checkDepth(envelope, MAX_TUF_NESTING, what);
  if (!isObject(envelope)) throw typeError(envelope, 'data.Signed');
  const { present, value: signed } = rawMember(envelope, 'signed');
  const signatures = parseSignatures(member(envelope, 'signatures'));
  if (!present) throw tufError('unexpected end of JSON input');
  let meta: JsonObject = {};
  if (signed !== null) {
    if (!isObject(signed)) throw typeError(signed, 'tuf.signedMeta');
    meta = signed;
  }
  const type = stringField(meta, '_type', 'signedMeta._type');
  const expires = timeField(meta, 'expires', 'signedMeta.expires');
  const version = intField(meta, 'version', 'signedMeta.version');
  const specVersion = stringField(meta, 'spec_version', 'signedMeta.spec_version');
  const reMarshalled = {
    signatures: signatures === null ? null : signatures.map((s) => ({ keyid: s.keyId, sig: Buffer.from(s.sig).toString('hex') })),
    signed,
  };
  const text = jcs(reMarshalled);
  if (text === undefined) throw tufError(`${what} cannot be canonicalized`);
  return { signed, signatures, type, version, specVersion, expires, canonical: new Uint8Array(Buffer.from(text, 'utf8')) };
}

interface Role {
  readonly keyIds: ReadonlySet<string>;
  readonly threshold: number;
}

/** A verified root: its envelope and the key/role database built from it. */
export interface TufRoot {
  readonly envelope: TufSigned;
  readonly verifiers: ReadonlyMap<string, TufVerifier>;
  readonly roles: ReadonlyMap<string, Role>;
}

function objectMap(value: unknown, field: string, goType: string): Array<[string, unknown]> {
  if (value === undefined) return [];
  if (!isObject(value)) throw typeError(value, goType, field);
  return Object.entries(value);
}

/** The members of data.Root that decoding checks, beyond signedMeta. */
function readRoot(signed: unknown): { keys: Array<[string, unknown]>; roles: Array<[string, unknown]> } {
  if (!isObject(signed)) return { keys: [], roles: [] };
  intField(signed, 'version', 'Root.version', 'int64');
  boolField(signed, 'consistent_snapshot', 'Root.consistent_snapshot');
  const keys = objectMap(member(signed, 'keys'), 'Root.keys', 'map[string]*data.PublicKey');
  const roles = objectMap(member(signed, 'roles'), 'Root.roles', 'map[string]*data.Role');
  for (const [, key] of keys) if (key !== null && !isObject(key)) throw typeError(key, 'data.PublicKey', 'Root.keys');
  for (const [, role] of roles) if (role !== null && !isObject(role)) throw typeError(role, 'data.Role', 'Root.roles');
  return { keys, roles };
}

function verifyRole(root: Pick<TufRoot, 'verifiers' | 'roles'>, envelope: TufSigned, role: string, now: Date): void {
  if (envelope.signatures === null || envelope.signatures.length === 0) throw tufError('tuf: data has no signatures');
  const roleData = root.roles.get(role);
  if (roleData === undefined) throw tufError(`tuf: unknown role ${JSON.stringify(role)}`);
  // go-tuf decodes `signed` into a generic map before encoding it canonically; anything else
  // makes every signature fail.
  const message = isObject(envelope.signed) ? canonicalJson(envelope.signed) : undefined;
  const bytes = message === undefined ? undefined : Buffer.from(message, 'utf8');
  const counted = new Set<string>();
  for (const signature of envelope.signatures) {
    if (bytes === undefined || !roleData.keyIds.has(signature.keyId)) continue;
    const verifier = root.verifiers.get(signature.keyId);
    if (verifier === undefined || !verifier.verify(bytes, signature.sig)) continue;
    // One key listed under several IDs still counts once.
    counted.add(verifier.identity);
  }
  if (counted.size < roleData.threshold) throw tufError('tuf: valid signatures did not meet threshold');
  const type = envelope.type;
  const typeOk = TOP_LEVEL_ROLES.has(role) ? type.toLowerCase() === role.toLowerCase() : type.toLowerCase() === 'targets';
  if (!typeOk) throw tufError('tuf: meta file has wrong type');
  if (envelope.version < 0) throw tufError(`version ${envelope.version} is lower than current version 0`);
  if (envelope.expires.epochMs <= now.getTime()) throw tufError(`expired at ${envelope.expires.text}`);
}

/** pki/tuf NewPublicKey: parse a root, build its key database, verify it with its own root role. */
export function parseTufRoot(envelope: unknown, now: Date): TufRoot {
  const parsed = parseTufSigned(envelope, 'TUF root');
  const { keys, roles: roleEntries } = readRoot(parsed.signed);
  const verifiers = new Map<string, TufVerifier>();
  for (const [id, key] of keys) {
    if (key === null) throw tufError('tuf root contains nil key');
    verifiers.set(id, tufVerifier(key as JsonObject));
  }
  const roles = new Map<string, Role>();
  for (const [name, role] of roleEntries) {
    if (role === null) throw tufError('tuf root contains nil role');
    const object = role as JsonObject;
    const keyIds = stringArray(member(object, 'keyids'), 'Role.roles.keyids');
    const threshold = intField(object, 'threshold', 'Role.roles.threshold');
    if (threshold < 1) throw tufError('tuf: invalid role threshold');
    roles.set(name, { keyIds: new Set(keyIds), threshold });
  }
  const root = { envelope: parsed, verifiers, roles };
  verifyRole(root, parsed, 'root', now);
  return root;
}

/** Signature.Verify: the metadata must verify for the role its `_type` names. */
export function verifyTufMetadata(root: TufRoot, metadata: TufSigned, now: Date): void {
  verifyRole(root, metadata, metadata.type, now);
}
