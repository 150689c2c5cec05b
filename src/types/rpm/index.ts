/**
 * The rpm entry kind (a PGP-signed RPM package sent inline with its signer's key). One version,
 * 0.0.1.
 */
import type { EntryKind } from '../types.js';
import { rpmV001 } from './v0.0.1/entry.js';

export const rpmKind: EntryKind = {
  kind: 'rpm',
  versions: [rpmV001],
  defaultVersion: '0.0.1',
};

export { canonicalizeRpm } from './v0.0.1/entry.js';
export { parseRpm, MAX_HEADER_DATA, MAX_HEADER_ENTRIES } from './v0.0.1/rpm-header.js';
