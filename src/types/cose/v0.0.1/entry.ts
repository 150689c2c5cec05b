/**
 * cose v0.0.1: a COSE_Sign1 message with an attached payload, verified with one x509 key or
 * certificate; the message itself is not stored in the body but kept as the attestation when it
 * fits the operator's limit (a larger one is skipped and the entry still logged, as Rekor does).
 * Steps and messages follow Rekor (pkg/types/cose/v0.0.1): decode and validate the spec, parse
 * the key, refuse a proposal without a message or data, decode and verify the message
 * (message.ts, verify.ts), then build the canonical body
 * `{"apiVersion":"0.0.1","kind":"cose","spec":{"data":{"envelopeHash":…,"payloadHash":…},"publicKey":…}}`.
 * Index keys: H(canonical PEM) unprefixed, the certificate's subjects, `sha256:`+H(message),
 * `sha256:`+H(payload) and, for a protected content type of `application/vnd.in-toto+json`,
 * the statement's subject digests.
 */
import { createHash } from 'node:crypto';
import { encodeStdBase64 } from '../../../pki/base64.js';
import { parseX509PublicKey } from '../../../pki/x509/index.js';
import { canonicalEntry } from '../../canonical.js';
import { decodeHex, invalidEntry } from '../../go-decode.js';
import { IN_TOTO_PAYLOAD_TYPE, inTotoDigestKeys } from '../../intoto-statement.js';
import type { CanonicalEntry, EntryVersion, TypeContext } from '../../types.js';
import { decodeCoseSign1, protectedContentType } from './message.js';
import { decodeCoseSpec, validateCoseSpec } from './spec.js';
import { coseVerifier, verifyCoseSign1 } from './verify.js';

export const KIND = 'cose';
export const API_VERSION = '0.0.1';

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Rekor's cose kind indexes only `subject[].digest` (not SLSA materials, unlike dsse/intoto):
 * the statement is re-read with its predicate dropped so the shared reader yields subjects only.
 */
export function inTotoSubjectKeys(payload: Uint8Array): string[] {
  let statement: unknown;
  try {
    statement = JSON.parse(new TextDecoder('utf-8').decode(payload)) as unknown;
  } catch {
    return [];
  }
  if (statement === null || typeof statement !== 'object' || Array.isArray(statement)) return [];
  const withoutPredicate = Buffer.from(JSON.stringify({ ...statement, predicate: null }), 'utf8');
  return inTotoDigestKeys(IN_TOTO_PAYLOAD_TYPE, withoutPredicate);
}

/** Insertable(): what a proposal needs beyond the schema before anything is verified. */
function requireInsertable(message: Uint8Array | undefined, hasData: boolean): Uint8Array {
  if (message === undefined) throw invalidEntry('entry not insertable into log: missing COSE Sign1 message');
  // Rekor would dereference the missing data (a panic, a 500); refusing is the sane equivalent.
  if (!hasData) throw invalidEntry('entry not insertable into log: missing COSE data property');
  return message;
}

/** The whole insertion path for one proposed spec; throws RekorError('invalid_entry'). */
export function canonicalizeCose(input: unknown, ctx: TypeContext): CanonicalEntry {
  const spec = decodeCoseSpec(input);
  validateCoseSpec(spec);
  // validateCoseSpec guarantees a public key.
  const key = parseX509PublicKey(spec.publicKey as Uint8Array, { maxChainCertificates: ctx.limits.maxChainCertificates });
  // Without a message Rekor reads the stored envelope hash (a retrieval path): its hex must parse.
  const storedHash = spec.data?.envelopeHash?.value;
  if (spec.message === undefined && storedHash !== undefined) decodeHex(storedHash);
  const messageBytes = requireInsertable(spec.message, spec.data !== undefined);
  const verifier = coseVerifier(key.publicKey);
  const message = decodeCoseSign1(messageBytes);
  const payload = verifyCoseSign1(message, verifier, spec.data?.aad ?? new Uint8Array());

  const envelopeHash = sha256Hex(messageBytes);
  const payloadHash = sha256Hex(payload);
  const canonicalSpec = {
    data: {
      envelopeHash: { algorithm: 'sha256', value: envelopeHash },
      payloadHash: { algorithm: 'sha256', value: payloadHash },
    },
    publicKey: encodeStdBase64(key.canonical),
  };
  const inToto = protectedContentType(message) === IN_TOTO_PAYLOAD_TYPE ? inTotoSubjectKeys(payload) : [];
  const indexKeys = [sha256Hex(key.canonical), ...key.subjects, `sha256:${envelopeHash}`, `sha256:${payloadHash}`, ...inToto];
  // Rekor keeps the whole message as the attestation when it fits its limit, and skips it otherwise.
  return canonicalEntry(KIND, API_VERSION, canonicalSpec, indexKeys, messageBytes, true);
}

export const coseV001: EntryVersion = {
  apiVersion: API_VERSION,
  async canonicalize(spec: unknown, ctx: TypeContext): Promise<CanonicalEntry> {
    return canonicalizeCose(spec, ctx);
  },
};
