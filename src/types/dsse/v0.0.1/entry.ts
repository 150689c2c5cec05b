/**
 * dsse v0.0.1: a DSSE envelope and the keys or certificates that verify it; the envelope itself
 * is not stored. Steps and messages follow Rekor (pkg/types/dsse/v0.0.1): decode and validate the
 * spec, parse the envelope, verify every signature (envelope.ts), then build the canonical body
 * `{"apiVersion":"0.0.1","kind":"dsse","spec":{"envelopeHash":…,"payloadHash":…,"signatures":[…]}}`
 * with the SHA-256 of the envelope string exactly as received, the SHA-256 of the decoded payload
 * and, sorted by signature text, each signature's base64 text and its verifier's canonical PEM.
 * Index keys: per signature `sha256:`+H(canonical PEM) and the leaf's subjects, the payload and
 * envelope hashes, and the in-toto subject/material digests of an in-toto payload.
 */
import { createHash } from 'node:crypto';
import { encodeStdBase64 } from '../../../pki/base64.js';
import { canonicalEntry } from '../../canonical.js';
import { inTotoDigestKeys } from '../../intoto-statement.js';
import type { CanonicalEntry, EntryVersion, TypeContext } from '../../types.js';
import { parseEnvelope, verifyEnvelope } from './envelope.js';
import { decodeDsseSpec, validateDsseSpec } from './spec.js';

export const KIND = 'dsse';
export const API_VERSION = '0.0.1';

function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The whole insertion path for one proposed spec; throws RekorError('invalid_entry'). */
export function canonicalizeDsse(input: unknown, ctx: TypeContext): CanonicalEntry {
  const spec = decodeDsseSpec(input);
  validateDsseSpec(spec);
  // validateDsseSpec guarantees proposedContent with an envelope and ≥ 1 verifier.
  const content = spec.proposedContent as { envelope: string; verifiers: readonly Uint8Array[] };
  const envelope = parseEnvelope(content.envelope);
  const { keyBySignature, payload } = verifyEnvelope(envelope, content.verifiers, ctx.limits.maxChainCertificates);

  // Go's sort.Strings: byte order, which for base64 text is UTF-16 order too.
  const sorted = [...keyBySignature.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const signatures = sorted.map((signature) => {
    const key = keyBySignature.get(signature);
    if (key === undefined) throw new Error('verified signature without a key');
    return { signature, key };
  });
  const payloadHash = sha256Hex(payload);
  const envelopeHash = sha256Hex(Buffer.from(content.envelope, 'utf8'));
  const canonicalSpec = {
    envelopeHash: { algorithm: 'sha256', value: envelopeHash },
    payloadHash: { algorithm: 'sha256', value: payloadHash },
    signatures: signatures.map(({ signature, key }) => ({ signature, verifier: encodeStdBase64(key.canonical) })),
  };
  const indexKeys = [
    ...signatures.flatMap(({ key }) => [`sha256:${sha256Hex(key.canonical)}`, ...key.subjects]),
    `sha256:${payloadHash}`,
    `sha256:${envelopeHash}`,
    ...inTotoDigestKeys(envelope.payloadType, payload),
  ];
  return canonicalEntry(KIND, API_VERSION, canonicalSpec, indexKeys);
}

export const dsseV001: EntryVersion = {
  apiVersion: API_VERSION,
  async canonicalize(spec: unknown, ctx: TypeContext): Promise<CanonicalEntry> {
    return canonicalizeDsse(spec, ctx);
  },
};
