/**
 * The hashedrekord entry kind (x509 signature over a digest). One version today, 0.0.1; Rekor
 * v2's 0.0.2 is a different API and does not belong to this v1 registry.
 */
import type { EntryKind } from '../types.js';
import { hashedrekordV001 } from './v0.0.1/entry.js';

export const hashedrekordKind: EntryKind = {
  kind: 'hashedrekord',
  versions: [hashedrekordV001],
  defaultVersion: '0.0.1',
};

export { canonicalizeHashedrekord } from './v0.0.1/entry.js';
