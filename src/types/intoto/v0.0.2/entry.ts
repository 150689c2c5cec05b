/**
 * intoto v0.0.2: a DSSE envelope as an object, one x509 key per signature, and a client-computed
 * envelope digest that the server trusts (only its shape is checked). Steps and messages follow
 * Rekor (pkg/types/intoto/v0.0.2 Unmarshal/verifyEnvelope, Insertable, Canonicalize): every
 * key must verify at least one signature and every signature must be verified by some key. The
 * canonical body keeps payloadType, the signatures and `hash` as sent and adds `payloadHash`;
 * the payload itself is dropped. A missing `hash` is refused as invalid (Rekor answers 500).
 * Index keys: per signature `sha256:`+H(canonical key) and the key's subjects, then
 * `sha256:<payload hash>` and in-toto digests; the client's envelope hash is not indexed.
 */
import { decodeStdBase64, encodeStdBase64 } from '../../../pki/base64.js';
import { parseX509PublicKey, type X509PublicKey } from '../../../pki/x509/index.js';
import { isRekorError } from '../../../errors.js';
import { canonicalEntry } from '../../canonical.js';
import { invalidEntry } from '../../go-decode.js';
import { inTotoDigestKeys } from '../../intoto-statement.js';
import type { CanonicalEntry, EntryVersion, TypeContext } from '../../types.js';
import { base64Failure, decodeDsseBase64, loadVerifier, pae, sha256Hex } from '../dsse.js';
import type { HashSpec } from '../hash-spec.js';
import { decodeIntotoV002Spec, validateIntotoV002Spec, type IntotoV002Envelope, type IntotoV002Signature } from './spec.js';

export const KIND = 'intoto';
export const API_VERSION = '0.0.2';

type Signature = IntotoV002Signature & { readonly sig: Uint8Array; readonly publicKey: Uint8Array };

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

function parseKey(bytes: Uint8Array, ctx: TypeContext): X509PublicKey {
  try {
    return parseX509PublicKey(bytes, { maxChainCertificates: ctx.limits.maxChainCertificates });
  } catch (err) {
    if (isRekorError(err)) throw invalidEntry(`could not parse public key as x509: ${err.message}`);
    throw err;
  }
}

function decodeForDsse(text: Uint8Array): Uint8Array {
  try {
    return decodeDsseBase64(text);
  } catch (err) {
    throw base64Failure(err, 'could not verify envelope: ');
  }
}

/** Rekor's verifyEnvelope: one DSSE verification (threshold 1) per key. Returns the keys. */
function verifyEnvelope(envelope: IntotoV002Envelope, signatures: readonly Signature[], ctx: TypeContext): X509PublicKey[] {
  const unverified = new Set(signatures.map((s) => latin1(s.sig)));
  const keys: X509PublicKey[] = [];
  let message: Uint8Array | undefined;
  for (const { publicKey } of signatures) {
    const key = parseKey(publicKey, ctx);
    let verifier;
    try {
      verifier = loadVerifier(key);
    } catch (err) {
      throw isRekorError(err) ? invalidEntry(`could not load verifier: ${err.message}`) : err;
    }
    message ??= pae(envelope.payloadType ?? '', decodeForDsse(envelope.payload));
    let accepted = 0;
    for (const { sig } of signatures) {
      if (!verifier(message, decodeForDsse(sig))) continue;
      accepted++;
      unverified.delete(latin1(sig));
    }
    if (accepted === 0) throw invalidEntry('could not verify envelope: Accepted signatures do not match threshold, Found: 0, Expected 1');
    keys.push(key);
  }
  if (unverified.size > 0) throw invalidEntry('all signatures must have a key that verifies it');
  return keys;
}

function canonicalSignature(signature: Signature): Record<string, string> {
  const out: Record<string, string> = { publicKey: encodeStdBase64(signature.publicKey), sig: encodeStdBase64(signature.sig) };
  // Go's `keyid,omitempty`.
  if (signature.keyid !== undefined && signature.keyid !== '') out['keyid'] = signature.keyid;
  return out;
}

/** The whole insertion path for one proposed spec; throws RekorError('invalid_entry'). */
export function canonicalizeIntotoV002(input: unknown, ctx: TypeContext): CanonicalEntry {
  const spec = decodeIntotoV002Spec(input);
  validateIntotoV002Spec(spec);
  // Validation guarantees content, envelope, payloadType and non-empty signatures with sig and key.
  const content = spec.content as NonNullable<typeof spec.content>;
  const envelope = content.envelope as IntotoV002Envelope;
  const signatures = envelope.signatures as readonly Signature[];
  if (envelope.payload.length === 0) throw invalidEntry('entry not insertable into log: missing envelope content');
  const keys = verifyEnvelope(envelope, signatures, ctx);
  let payload: Uint8Array;
  try {
    payload = decodeStdBase64(envelope.payload);
  } catch (err) {
    throw base64Failure(err, 'could not decode envelope payload: ');
  }
  const payloadType = envelope.payloadType ?? '';
  if (payloadType === '') throw invalidEntry('entry not insertable into log: missing payloadType content');
  if (content.hash === undefined) throw invalidEntry('missing envelope digest');
  const hash = content.hash as Required<HashSpec>;
  const payloadHash = sha256Hex(payload);
  const canonicalSpec = {
    content: {
      envelope: { payloadType, signatures: signatures.map(canonicalSignature) },
      hash: { algorithm: hash.algorithm, value: hash.value },
      payloadHash: { algorithm: 'sha256', value: payloadHash },
    },
  };
  const keyIndex = keys.flatMap((key) => [`sha256:${sha256Hex(key.canonical)}`, ...key.subjects]);
  const indexKeys = [...keyIndex, `sha256:${payloadHash}`, ...inTotoDigestKeys(payloadType, payload)];
  // The attestation Rekor keeps beside an intoto entry is the decoded payload.
  return canonicalEntry(KIND, API_VERSION, canonicalSpec, indexKeys, payload);
}

export const intotoV002: EntryVersion = {
  apiVersion: API_VERSION,
  async canonicalize(spec: unknown, ctx: TypeContext): Promise<CanonicalEntry> {
    return canonicalizeIntotoV002(spec, ctx);
  },
};
