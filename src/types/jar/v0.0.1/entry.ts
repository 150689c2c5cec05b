/**
 * jar v0.0.1: a signed JAR sent inline. Steps follow Rekor (pkg/types/jar/v0.0.1): decode and
 * validate the spec, require the archive, compare any submitted hash with the computed lower-case
 * SHA-256 as strings (so upper-case hex fails), open the zip (bounded: zip.ts), verify the JAR
 * signature (signjar.ts), then build the canonical body
 * `{"apiVersion":"0.0.1","kind":"jar","spec":{"archive":{"hash":{…}},"signature":{"content","publicKey":{"content"}}}}`
 * where `content` is the first META-INF signature block re-encoded as a detached PEM `PKCS7` and
 * `publicKey.content` the block's first certificate as PEM; the archive itself is not stored.
 * Index keys (Rekor's, in its order): SHA-256 of that PKCS7 PEM (the signature, not the
 * certificate) and `sha256:<archive hash>`; no certificate subjects.
 */
import { createHash } from 'node:crypto';
import { encodeStdBase64 } from '../../../pki/base64.js';
import { canonicalPkcs7Signature, pkcs7PublicKey, readPkcs7 } from '../../../pki/pkcs7/index.js';
import { canonicalEntry } from '../../canonical.js';
import { invalidEntry } from '../../go-decode.js';
import type { CanonicalEntry, EntryVersion, TypeContext } from '../../types.js';
import { verifySignedJar } from '../signjar.js';
import { ZipArchive } from '../zip.js';
import { decodeJarSpec, requireInsertable, validateJarSpec } from './spec.js';

export const KIND = 'jar';
export const API_VERSION = '0.0.1';

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The whole insertion path for one proposed spec; throws RekorError('invalid_entry'). */
export async function canonicalizeJar(input: unknown, ctx: TypeContext): Promise<CanonicalEntry> {
  const spec = decodeJarSpec(input);
  validateJarSpec(spec);
  const entry = requireInsertable(spec);
  const computed = sha256Hex(entry.archive);
  if (entry.hash !== undefined && entry.hash !== computed) throw invalidEntry(`SHA mismatch: ${computed} != ${entry.hash}`);
  const zip = await ZipArchive.open(entry.archive);
  const block = await verifySignedJar(zip, ctx.limits.maxJarMetadataSize);
  const signedData = readPkcs7(block);
  const key = pkcs7PublicKey(signedData);
  const signature = canonicalPkcs7Signature(signedData);
  const canonicalSpec = {
    archive: { hash: { algorithm: 'sha256', value: computed } },
    signature: { content: encodeStdBase64(signature), publicKey: { content: encodeStdBase64(key.canonical) } },
  };
  return canonicalEntry(KIND, API_VERSION, canonicalSpec, [sha256Hex(signature), `sha256:${computed}`]);
}

export const jarV001: EntryVersion = {
  apiVersion: API_VERSION,
  canonicalize: canonicalizeJar,
};
