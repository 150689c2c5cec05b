/**
 * alpine v0.0.1: an Alpine package (.apk) signed by abuild-sign, sent inline with the x509 public
 * key. Steps follow Rekor (pkg/types/alpine/v0.0.1 fetchExternalEntities, Canonicalize): decode and
 * validate the spec, parse the key, compare any submitted hash with the computed lower-case SHA-256
 * as strings (so upper-case hex fails), parse the package (apk.ts), verify its signature
 * (verify.ts), then build the canonical body
 * `{"apiVersion":"0.0.1","kind":"alpine","spec":{"package":{"hash":{…},"pkginfo":{…}},"publicKey":{"content"}}}`
 * with the canonical key; the package itself is not stored.
 * Index keys: SHA-256 of the canonical key, the key's subjects, `sha256:<package hash>`.
 */
import { createHash } from 'node:crypto';
import { encodeStdBase64 } from '../../../pki/base64.js';
import { parseX509PublicKey } from '../../../pki/x509/index.js';
import { canonicalEntry } from '../../canonical.js';
import { invalidEntry } from '../../go-decode.js';
import type { CanonicalEntry, EntryVersion, TypeContext } from '../../types.js';
import { parseApk } from '../apk.js';
import { verifyApkSignature } from '../verify.js';
import { decodeAlpineSpec, requireInsertable, validateAlpineSpec } from './spec.js';

export const KIND = 'alpine';
export const API_VERSION = '0.0.1';

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The whole insertion path for one proposed spec; throws RekorError('invalid_entry'). */
export async function canonicalizeAlpine(input: unknown, ctx: TypeContext): Promise<CanonicalEntry> {
  const spec = decodeAlpineSpec(input);
  validateAlpineSpec(spec);
  const entry = requireInsertable(spec);
  const key = parseX509PublicKey(entry.publicKey, { maxChainCertificates: ctx.limits.maxChainCertificates });
  const computed = sha256Hex(entry.apk);
  if (entry.hash !== undefined && entry.hash !== computed) throw invalidEntry(`SHA mismatch: ${computed} != ${entry.hash}`);
  const apk = await parseApk(entry.apk, ctx.limits.maxApkMetadataSize);
  const failure = verifyApkSignature(key.publicKey, apk.controlSha1, apk.signature);
  if (failure !== undefined) throw invalidEntry(failure);
  const canonicalSpec = {
    package: { hash: { algorithm: 'sha256', value: computed }, pkginfo: Object.fromEntries(apk.pkginfo) },
    publicKey: { content: encodeStdBase64(key.canonical) },
  };
  const indexKeys = [sha256Hex(key.canonical), ...key.subjects, `sha256:${computed}`];
  return canonicalEntry(KIND, API_VERSION, canonicalSpec, indexKeys);
}

export const alpineV001: EntryVersion = {
  apiVersion: API_VERSION,
  canonicalize: canonicalizeAlpine,
};
