/**
 * rpm v0.0.1: a signed RPM package sent inline with the PGP key that signed it. Steps follow
 * Rekor (pkg/types/rpm/v0.0.1): decode and validate the spec, require the inline package, parse
 * the key, compare any submitted hash with the computed lower-case SHA-256 as strings (so
 * upper-case hex fails), verify the package's digests and PGP signatures (rpm-verify.ts), then
 * build the canonical body
 * `{"apiVersion":"0.0.1","kind":"rpm","spec":{"package":{"hash":{…},"headers":{…}},"publicKey":{"content"}}}`
 * where headers are go-rpmutils' NEVRA (Name, Epoch — "0" when absent —, Version, Release,
 * Architecture) plus RPMSIGTAG_MD5 in hex when the signature header has it; Rekor deliberately
 * leaves the SHA-1/SHA-256 header digests out. The package itself is not stored.
 * Index keys: SHA-256 of the canonical key, the key's email subjects, `sha256:<package hash>`.
 */
import { createHash } from 'node:crypto';
import { encodeStdBase64 } from '../../../pki/base64.js';
import { parsePgpPublicKey } from '../../../pki/pgp/index.js';
import { canonicalEntry } from '../../canonical.js';
import { invalidEntry } from '../../go-decode.js';
import type { CanonicalEntry, EntryVersion } from '../../types.js';
import { parseRpm, SIG_TAG, TAG, type RpmFile } from './rpm-header.js';
import { lenient, verifyRpm } from './rpm-verify.js';
import { decodeRpmSpec, requireInsertable, validateRpmSpec } from './spec.js';

export const KIND = 'rpm';
export const API_VERSION = '0.0.1';

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function requiredString(rpm: RpmFile, tag: number, name: string): string {
  const value = rpm.header.firstString(tag);
  if (value === undefined) throw invalidEntry(`RPM header has no ${name} (tag ${tag})`);
  return value;
}

/** go-rpmutils GetNEVRA, plus the MD5 signature tag Rekor adds. */
export function canonicalHeaders(rpm: RpmFile): Record<string, string> {
  const name = requiredString(rpm, TAG.NAME, 'Name');
  const epoch = rpm.header.uints(TAG.EPOCH, true)?.[0] ?? 0n;
  const headers: Record<string, string> = {
    Name: name,
    Epoch: epoch.toString(),
    Version: requiredString(rpm, TAG.VERSION, 'Version'),
    Release: requiredString(rpm, TAG.RELEASE, 'Release'),
    Architecture: requiredString(rpm, TAG.ARCH, 'Arch'),
  };
  // Rekor skips an MD5 tag it cannot read as bytes.
  const md5 = lenient(() => rpm.signature.bytes(SIG_TAG.MD5));
  if (md5 !== undefined && md5.length > 0) headers['RPMSIGTAG_MD5'] = Buffer.from(md5).toString('hex');
  return headers;
}

/** The whole insertion path for one proposed spec; throws RekorError('invalid_entry'). */
export async function canonicalizeRpm(input: unknown): Promise<CanonicalEntry> {
  const spec = decodeRpmSpec(input);
  validateRpmSpec(spec);
  const entry = requireInsertable(spec);
  const key = await parsePgpPublicKey(entry.publicKey);
  const computed = sha256Hex(entry.rpm);
  if (entry.hash !== undefined && entry.hash.value !== computed) throw invalidEntry(`SHA mismatch: ${computed} != ${entry.hash.value}`);
  const rpm = parseRpm(entry.rpm);
  await verifyRpm(rpm, key);
  const canonicalSpec = {
    package: { hash: { algorithm: entry.hash?.algorithm ?? 'sha256', value: computed }, headers: canonicalHeaders(rpm) },
    publicKey: { content: encodeStdBase64(key.canonical) },
  };
  const indexKeys = [sha256Hex(key.canonical), ...key.subjects, `sha256:${computed}`];
  return canonicalEntry(KIND, API_VERSION, canonicalSpec, indexKeys);
}

export const rpmV001: EntryVersion = {
  apiVersion: API_VERSION,
  canonicalize: canonicalizeRpm,
};
