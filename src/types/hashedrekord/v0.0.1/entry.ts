/**
 * hashedrekord v0.0.1: a detached x509 signature over a digest (no artifact). Steps and messages
 * follow Rekor (pkg/types/hashedrekord/v0.0.1 and pkg/api createLogEntry): decode and validate
 * the spec, parse the key, check the digest's length and hex, verify the signature over the digest
 * (a chain is validated first), apply the signing-algorithm policy, then build the canonical body
 * `{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{"data":{"hash":{…}},"signature":{…}}}` with
 * the hash exactly as submitted, the raw signature and the canonical PEM.
 * Index keys: SHA-256 of the canonical PEM, the leaf's SANs, `<algorithm>:<hash>`.
 */
import { createHash } from 'node:crypto';
import { encodeStdBase64 } from '../../../pki/base64.js';
import {
  allowsRsaPss,
  isAlgorithmPermitted,
  parseX509PublicKey,
  verifyX509Signature,
  type HashAlgorithm,
  type X509PublicKey,
} from '../../../pki/x509/index.js';
import { canonicalEntry } from '../../canonical.js';
import { decodeHex, invalidEntry } from '../../go-decode.js';
import type { CanonicalEntry, EntryVersion, TypeContext } from '../../types.js';
import { decodeHashedrekordSpec, validateHashedrekordSpec, type HashedrekordSpec } from './spec.js';

export const KIND = 'hashedrekord';
export const API_VERSION = '0.0.1';

const HEX_LENGTH: Record<HashAlgorithm, number> = { sha256: 64, sha384: 96, sha512: 128 };

interface VerifiedEntry {
  readonly key: X509PublicKey;
  readonly algorithm: HashAlgorithm;
  readonly value: string;
  readonly signature: Uint8Array;
}

/** Rekor's V001Entry.validate(): the cross-field checks and the signature verification. */
function verifyEntry(spec: HashedrekordSpec, ctx: TypeContext): VerifiedEntry {
  if (spec.signature === undefined) throw invalidEntry('missing signature');
  const signature = spec.signature.content ?? new Uint8Array();
  if (spec.signature.publicKey === undefined) throw invalidEntry('missing public key');
  const key = parseX509PublicKey(spec.signature.publicKey.content ?? new Uint8Array(), {
    maxChainCertificates: ctx.limits.maxChainCertificates,
  });
  if (spec.data === undefined) throw invalidEntry('missing data');
  const { algorithm: submitted, value } = spec.data.hash;
  if (value === undefined) throw invalidEntry('missing hash value');
  // The schema admits only the three names; anything else cannot get here.
  const algorithm = (submitted ?? 'sha256') as HashAlgorithm;
  if (Buffer.byteLength(value, 'utf8') !== HEX_LENGTH[algorithm]) throw invalidEntry('invalid value for hash');
  const digest = decodeHex(value);
  const verdict = verifyX509Signature(key, algorithm, digest, signature, {
    allowRsaPss: allowsRsaPss(key.publicKey, algorithm, ctx.signingAlgorithms),
  });
  if (!verdict.valid) throw invalidEntry(`verifying signature: ${verdict.reason}`);
  return { key, algorithm, value, signature };
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The whole insertion path for one proposed spec; throws RekorError('invalid_entry'). */
export function canonicalizeHashedrekord(input: unknown, ctx: TypeContext): CanonicalEntry {
  const spec = decodeHashedrekordSpec(input);
  validateHashedrekordSpec(spec);
  const { key, algorithm, value, signature } = verifyEntry(spec, ctx);
  if (!isAlgorithmPermitted(key.publicKey, algorithm, ctx.signingAlgorithms)) throw invalidEntry('entry algorithms are not allowed');
  const canonicalSpec = {
    data: { hash: { algorithm, value } },
    signature: { content: encodeStdBase64(signature), publicKey: { content: encodeStdBase64(key.canonical) } },
  };
  const indexKeys = [sha256Hex(key.canonical), ...key.subjects, `${algorithm}:${value}`];
  return canonicalEntry(KIND, API_VERSION, canonicalSpec, indexKeys);
}

export const hashedrekordV001: EntryVersion = {
  apiVersion: API_VERSION,
  async canonicalize(spec: unknown, ctx: TypeContext): Promise<CanonicalEntry> {
    return canonicalizeHashedrekord(spec, ctx);
  },
};
