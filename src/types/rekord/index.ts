/**
 * The rekord entry kind (a detached pgp, minisign, x509 or ssh signature over an artifact sent
 * inline). One version, 0.0.1.
 */
import type { EntryKind } from '../types.js';
import { rekordV001 } from './v0.0.1/entry.js';

export const rekordKind: EntryKind = {
  kind: 'rekord',
  versions: [rekordV001],
  defaultVersion: '0.0.1',
};

export { canonicalizeRekord } from './v0.0.1/entry.js';
