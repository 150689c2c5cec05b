/**
 * Shared last step of every entry version: wrap the canonical spec as
 * {apiVersion, kind, spec}, serialize it with RFC 8785 JCS (what Rekor does after json.Marshal),
 * hash it as an RFC 6962 leaf, and tidy the index keys.
 */
import canonicalizeModule from 'canonicalize';
import { hashLeaf } from '../merkle/index.js';
import type { CanonicalEntry } from './types.js';

type Canonicalize = (input: unknown) => string | undefined;
// CommonJS `module.exports = fn` typed as `export default`: under nodenext the default import is
// typed as the module object but is the function itself at run time.
const loaded = canonicalizeModule as unknown as Canonicalize | { default: Canonicalize };
const canonicalize: Canonicalize = typeof loaded === 'function' ? loaded : loaded.default;

/** Lower-cases and de-duplicates index keys, keeping first-seen order; drops empty keys. */
export function normalizeIndexKeys(keys: Iterable<string>): string[] {
  const seen = new Set<string>();
  for (const key of keys) {
    const lower = key.toLowerCase();
    if (lower.length > 0) seen.add(lower);
  }
  return [...seen];
}

export function canonicalEntry(
  kind: string,
  apiVersion: string,
  spec: object,
  indexKeys: Iterable<string>,
  attestation?: Uint8Array,
  attestationOptional = false,
): CanonicalEntry {
  const text = canonicalize({ apiVersion, kind, spec });
  if (text === undefined) throw new Error('canonical spec is not serializable');
  const body = new Uint8Array(Buffer.from(text, 'utf8'));
  const entry = { kind, apiVersion, body, leafHash: hashLeaf(body), indexKeys: normalizeIndexKeys(indexKeys) };
  if (attestation === undefined) return entry;
  return attestationOptional ? { ...entry, attestation, attestationOptional } : { ...entry, attestation };
}
