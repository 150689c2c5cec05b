/**
 * tuf v0.0.1: signed TUF metadata together with the root.json that vouches for it. Steps follow
 * Rekor (pkg/types/tuf/v0.0.1): decode and validate the spec, read the metadata envelope, read
 * the root and verify it with its own root role, verify the metadata for the role its `_type`
 * names (thresholds, type, version, expiry against `ctx.now()`), then build the canonical body
 * `{"apiVersion":"0.0.1","kind":"tuf","spec":{"metadata":{"content":b64(JCS envelope)},"root":{"content":b64(JCS root)},"spec_version"}}`
 * (`spec_version` from the root, omitted when empty).
 * Index keys: SHA-256 of the canonical metadata, its `_type`, its version in decimal, SHA-256 of
 * the canonical root.
 */
import { createHash } from 'node:crypto';
import { encodeStdBase64 } from '../../../pki/base64.js';
import { parseTufRoot, parseTufSigned, verifyTufMetadata } from '../../../pki/tuf/index.js';
import { canonicalEntry } from '../../canonical.js';
import type { CanonicalEntry, EntryVersion, TypeContext } from '../../types.js';
import { decodeTufSpec, envelopeOf, validateTufSpec } from './spec.js';

export const KIND = 'tuf';
export const API_VERSION = '0.0.1';

const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The whole insertion path for one proposed spec; throws RekorError('invalid_entry'). */
export function canonicalizeTuf(input: unknown, ctx: Pick<TypeContext, 'now'>): CanonicalEntry {
  const spec = decodeTufSpec(input);
  validateTufSpec(spec);
  const now = ctx.now();
  const metadata = parseTufSigned(envelopeOf(spec.metadata?.content, 'metadata'), 'TUF metadata');
  const root = parseTufRoot(envelopeOf(spec.root?.content, 'root'), now);
  verifyTufMetadata(root, metadata, now);
  const specVersion = root.envelope.specVersion;
  const canonicalSpec = {
    metadata: { content: encodeStdBase64(metadata.canonical) },
    root: { content: encodeStdBase64(root.envelope.canonical) },
    ...(specVersion === '' ? {} : { spec_version: specVersion }),
  };
  const indexKeys = [sha256Hex(metadata.canonical), metadata.type, String(metadata.version), sha256Hex(root.envelope.canonical)];
  return canonicalEntry(KIND, API_VERSION, canonicalSpec, indexKeys);
}

export const tufV001: EntryVersion = {
  apiVersion: API_VERSION,
  canonicalize: async (spec, ctx) => canonicalizeTuf(spec, ctx),
};
