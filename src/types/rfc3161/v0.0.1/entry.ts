/**
 * rfc3161 v0.0.1: a DER TimeStampResp logged as is. Steps follow Rekor
 * (pkg/types/rfc3161/v0.0.1): decode and validate the spec, cap the size, verify the response
 * (tsr.ts), then store `{"apiVersion":"0.0.1","kind":"rfc3161","spec":{"tsr":{"content":<base64 of
 * the submitted DER>}}}`. The one index key is `sha256:` + SHA-256 of that DER.
 */
import { createHash } from 'node:crypto';
import { encodeStdBase64 } from '../../../pki/base64.js';
import { canonicalEntry } from '../../canonical.js';
import type { CanonicalEntry, EntryVersion, TypeContext } from '../../types.js';
import { decodeRfc3161Spec, validateRfc3161Spec } from './spec.js';
import { validateTimeStampResponse } from './tsr.js';

export const KIND = 'rfc3161';
export const API_VERSION = '0.0.1';

export async function canonicalizeRfc3161(input: unknown, ctx: TypeContext): Promise<CanonicalEntry> {
  const tsr = validateRfc3161Spec(decodeRfc3161Spec(input));
  validateTimeStampResponse(tsr, ctx.limits.maxTimestampResponseSize);
  const canonicalSpec = { tsr: { content: encodeStdBase64(tsr) } };
  const indexKeys = [`sha256:${createHash('sha256').update(tsr).digest('hex')}`];
  return canonicalEntry(KIND, API_VERSION, canonicalSpec, indexKeys);
}

export const rfc3161V001: EntryVersion = {
  apiVersion: API_VERSION,
  canonicalize: canonicalizeRfc3161,
};
