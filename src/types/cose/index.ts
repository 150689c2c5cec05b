/**
 * The cose entry kind (a COSE_Sign1 message verified against one x509 key or certificate; only
 * hashes of the message and payload are stored). One version, 0.0.1, as in Rekor v1.
 */
import type { EntryKind } from '../types.js';
import { coseV001 } from './v0.0.1/entry.js';

export const coseKind: EntryKind = {
  kind: 'cose',
  versions: [coseV001],
  defaultVersion: '0.0.1',
};

export { canonicalizeCose } from './v0.0.1/entry.js';
