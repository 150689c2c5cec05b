/**
 * The rfc3161 entry kind (an RFC 3161 TimeStampResp, verified against its embedded signer
 * certificate and logged as submitted). One version, 0.0.1.
 */
import type { EntryKind } from '../types.js';
import { rfc3161V001 } from './v0.0.1/entry.js';

export const rfc3161Kind: EntryKind = {
  kind: 'rfc3161',
  versions: [rfc3161V001],
  defaultVersion: '0.0.1',
};

export { canonicalizeRfc3161 } from './v0.0.1/entry.js';
