/**
 * rekord v0.0.1: a detached signature (pgp, minisign, x509 or ssh) over a whole artifact sent
 * inline. Steps follow Rekor (pkg/types/rekord/v0.0.1): decode and validate the spec, require the
 * inline content, parse signature and key, compare any submitted hash with the computed lower-case
 * SHA-256 as strings (so upper-case hex fails), verify, then build the canonical body
 * `{"apiVersion":"0.0.1","kind":"rekord","spec":{"data":{"hash":{…}},"signature":{"content","format","publicKey":{"content"}}}}`
 * with the canonical signature and key; the artifact itself is not stored.
 * Index keys: SHA-256 of the canonical key, the key's subjects, `sha256:<artifact hash>`.
 */
import { createHash } from 'node:crypto';
import { encodeStdBase64 } from '../../../pki/base64.js';
import { canonicalEntry } from '../../canonical.js';
import { invalidEntry } from '../../go-decode.js';
import type { CanonicalEntry, EntryVersion, TypeContext } from '../../types.js';
import { decodeRekordSpec, requireInsertable, validateRekordSpec } from './spec.js';
import { verifyArtifact } from './verify.js';

export const KIND = 'rekord';
export const API_VERSION = '0.0.1';

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The whole insertion path for one proposed spec; throws RekorError('invalid_entry'). */
export async function canonicalizeRekord(input: unknown, ctx: TypeContext): Promise<CanonicalEntry> {
  const spec = decodeRekordSpec(input);
  validateRekordSpec(spec);
  const entry = requireInsertable(spec);
  const computed = sha256Hex(entry.artifact);
  // Checked before the (costlier) signature verification; Rekor runs both concurrently.
  if (entry.hash !== undefined && entry.hash !== computed) throw invalidEntry(`SHA mismatch: ${computed} != ${entry.hash}`);
  const material = await verifyArtifact(entry.format, entry.publicKey, entry.signature, entry.artifact, ctx);
  const canonicalSpec = {
    data: { hash: { algorithm: 'sha256', value: computed } },
    signature: {
      format: entry.format,
      content: encodeStdBase64(material.canonicalSignature),
      publicKey: { content: encodeStdBase64(material.canonicalKey) },
    },
  };
  const indexKeys = [sha256Hex(material.canonicalKey), ...material.subjects, `sha256:${computed}`];
  return canonicalEntry(KIND, API_VERSION, canonicalSpec, indexKeys);
}

export const rekordV001: EntryVersion = {
  apiVersion: API_VERSION,
  canonicalize: canonicalizeRekord,
};
