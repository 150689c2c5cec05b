/**
 * helm v0.0.1: a Helm chart's provenance file, clear-signed with a PGP key. Steps follow Rekor
 * (pkg/types/helm/v0.0.1): decode and validate the spec, require the inline provenance, parse the
 * key, parse the provenance, take its armored signature, verify it over the signed text with the
 * key (key validity at the signature's creation time), then build the canonical body
 * `{"apiVersion":"0.0.1","kind":"helm","spec":{"chart":{"hash":{"algorithm","value"},"provenance":{"signature":{"content"}}},"publicKey":{"content"}}}`
 * with the chart digest from the provenance's `files` map, the signature re-armored in Go's form
 * and the canonical key; the provenance text itself is not stored.
 * Index keys: SHA-256 of the canonical key, the key's emails, `<algorithm>:<chart digest>`.
 */
import { createHash } from 'node:crypto';
import { encodeStdBase64 } from '../../../pki/base64.js';
import { parsePgpPublicKey, parsePgpSignature, verifyPgpSignature } from '../../../pki/pgp/index.js';
import { canonicalEntry } from '../../canonical.js';
import { invalidEntry } from '../../go-decode.js';
import type { CanonicalEntry, EntryVersion } from '../../types.js';
import { chartHash, parseProvenance } from './provenance.js';
import { decodeHelmSpec, requireInsertable, validateHelmSpec } from './spec.js';

export const KIND = 'helm';
export const API_VERSION = '0.0.1';

/** The whole insertion path for one proposed spec; throws RekorError('invalid_entry'). */
export async function canonicalizeHelm(input: unknown): Promise<CanonicalEntry> {
  const spec = decodeHelmSpec(input);
  validateHelmSpec(spec);
  const entry = requireInsertable(spec);
  const key = await parsePgpPublicKey(entry.publicKey);
  const provenance = parseProvenance(entry.provenance);
  const signature = await parsePgpSignature(provenance.signature);
  const verdict = await verifyPgpSignature(key, signature, provenance.signedBytes);
  if (!verdict.valid) throw invalidEntry(verdict.reason);
  const hash = chartHash(provenance);
  const canonicalSpec = {
    chart: { hash, provenance: { signature: { content: encodeStdBase64(signature.canonical) } } },
    publicKey: { content: encodeStdBase64(key.canonical) },
  };
  const keyHash = createHash('sha256').update(key.canonical).digest('hex');
  return canonicalEntry(KIND, API_VERSION, canonicalSpec, [keyHash, ...key.subjects, `${hash.algorithm}:${hash.value}`]);
}

export const helmV001: EntryVersion = {
  apiVersion: API_VERSION,
  canonicalize: (spec) => canonicalizeHelm(spec),
};
