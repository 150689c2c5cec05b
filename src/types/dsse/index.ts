/**
 * The dsse entry kind (a DSSE envelope verified against supplied keys or certificates; only
 * hashes of the envelope and payload are stored). One version, 0.0.1; Rekor v2's 0.0.2 is a
 * different API and does not belong to this v1 registry.
 */
import type { EntryKind } from '../types.js';
import { dsseV001 } from './v0.0.1/entry.js';

export const dsseKind: EntryKind = {
  kind: 'dsse',
  versions: [dsseV001],
  defaultVersion: '0.0.1',
};

export { canonicalizeDsse } from './v0.0.1/entry.js';
