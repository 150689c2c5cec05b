/**
 * The tuf entry kind (signed TUF metadata and the root.json whose keys verify it). One
 * version, 0.0.1.
 */
import type { EntryKind } from '../types.js';
import { tufV001 } from './v0.0.1/entry.js';

export const tufKind: EntryKind = {
  kind: 'tuf',
  versions: [tufV001],
  defaultVersion: '0.0.1',
};

export { canonicalizeTuf } from './v0.0.1/entry.js';
