/**
 * intoto v0.0.1: one x509 key and a whole DSSE envelope sent as a JSON string. Steps and
 * messages follow Rekor (pkg/types/intoto/v0.0.1 Unmarshal, validate, Insertable, Canonicalize):
 * decode and validate the spec, parse the key, verify the envelope with it (DSSE threshold 1:
 * at least one signature must verify), then build the canonical body
 * `{"apiVersion":"0.0.1","kind":"intoto","spec":{"content":{"hash":…,"payloadHash":…},"publicKey":…}}`
 * with both digests computed here (client values are ignored) and the canonical PEM.
 * Index keys: `sha256:<envelope hash>`, `sha256:`+H(canonical key), the key's subjects,
 * `sha256:<payload hash>`, in-toto subject and material digests.
 * Differs from Rekor in one known way: Rekor's DSSE verifier skips signatures whose non-empty
 * keyid differs from the key's SSH fingerprint; this one tries every signature.
 */
import { encodeStdBase64, decodeStdBase64 } from '../../../pki/base64.js';
import { parseX509PublicKey, type X509PublicKey } from '../../../pki/x509/index.js';
import { canonicalEntry } from '../../canonical.js';
import { invalidEntry } from '../../go-decode.js';
import { inTotoDigestKeys } from '../../intoto-statement.js';
import type { CanonicalEntry, EntryVersion, TypeContext } from '../../types.js';
import { base64Failure, decodeDsseBase64, loadVerifier, pae, sha256Hex, type DsseVerifier } from '../dsse.js';
import { parseDsseEnvelope, type DsseEnvelope } from './envelope.js';
import { decodeIntotoV001Spec, validateIntotoV001Spec, type IntotoV001Spec } from './spec.js';

export const KIND = 'intoto';
export const API_VERSION = '0.0.1';

/** go-securesystemslib EnvelopeVerifier.Verify with one key and threshold 1. */
function verifyEnvelope(verifier: DsseVerifier, envelope: DsseEnvelope): void {
  if (envelope.signatures.length === 0) throw invalidEntry('no signature found');
  let body: Uint8Array;
  try {
    body = decodeDsseBase64(envelope.payload);
  } catch (err) {
    throw base64Failure(err, '');
  }
  const message = pae(envelope.payloadType, body);
  let accepted = 0;
  for (const signature of envelope.signatures) {
    let sig: Uint8Array;
    try {
      sig = decodeDsseBase64(signature.sig);
    } catch (err) {
      throw base64Failure(err, '');
    }
    if (verifier(message, sig)) accepted++;
  }
  // The DSSE library counts distinct keys, and there is one.
  if (accepted === 0) throw invalidEntry('Accepted signatures do not match threshold, Found: 0, Expected 1');
}

/** Rekor's validate() for an entry with no envelope: only stored entries look like that. */
function refuseWithoutEnvelope(content: NonNullable<IntotoV001Spec['content']>): never {
  if (content.hash === undefined) throw invalidEntry('missing hash value for envelope');
  if (content.payloadHash === undefined) throw invalidEntry('missing hash value for payload');
  throw invalidEntry('entry not insertable into log: missing envelope content');
}

/** The canonical spec and index keys from the verified parts; exported for stored-body tests. */
export function intotoV001Body(
  key: X509PublicKey,
  envelopeHash: string,
  payloadHash: string,
  digestKeys: readonly string[],
  attestation?: Uint8Array,
): CanonicalEntry {
  const canonicalSpec = {
    content: { hash: { algorithm: 'sha256', value: envelopeHash }, payloadHash: { algorithm: 'sha256', value: payloadHash } },
    publicKey: encodeStdBase64(key.canonical),
  };
  const indexKeys = [`sha256:${envelopeHash}`, `sha256:${sha256Hex(key.canonical)}`, ...key.subjects, `sha256:${payloadHash}`, ...digestKeys];
  return canonicalEntry(KIND, API_VERSION, canonicalSpec, indexKeys, attestation);
}

/** The whole insertion path for one proposed spec; throws RekorError('invalid_entry'). */
export function canonicalizeIntotoV001(input: unknown, ctx: TypeContext): CanonicalEntry {
  const spec = decodeIntotoV001Spec(input);
  validateIntotoV001Spec(spec);
  const key = parseX509PublicKey(spec.publicKey ?? new Uint8Array(), { maxChainCertificates: ctx.limits.maxChainCertificates });
  const content = spec.content as NonNullable<IntotoV001Spec['content']>;
  if (content.envelope === '') refuseWithoutEnvelope(content);
  // Rekor loads the verifier before it reads the envelope, so a bad key type is reported first.
  const verifier = loadVerifier(key);
  const envelope = parseDsseEnvelope(content.envelope);
  verifyEnvelope(verifier, envelope);
  let payload: Uint8Array;
  try {
    payload = decodeStdBase64(envelope.payload);
  } catch (err) {
    throw base64Failure(err, '');
  }
  if (envelope.payload === '' || envelope.payloadType === '') throw invalidEntry('entry not insertable into log: invalid DSSE envelope');
  const envelopeHash = sha256Hex(Buffer.from(content.envelope, 'utf8'));
  // The attestation Rekor keeps beside an intoto entry is the decoded payload.
  return intotoV001Body(key, envelopeHash, sha256Hex(payload), inTotoDigestKeys(envelope.payloadType, payload), payload);
}

export const intotoV001: EntryVersion = {
  apiVersion: API_VERSION,
  async canonicalize(spec: unknown, ctx: TypeContext): Promise<CanonicalEntry> {
    return canonicalizeIntotoV001(spec, ctx);
  },
};
