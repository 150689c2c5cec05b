/**
 * The alpine entry kind (an Alpine package signed with abuild-sign, sent inline with its x509
 * public key). One version, 0.0.1.
 */
import type { EntryKind } from '../types.js';
import { alpineV001 } from './v0.0.1/entry.js';

export const alpineKind: EntryKind = {
  kind: 'alpine',
  versions: [alpineV001],
  defaultVersion: '0.0.1',
};

export { canonicalizeAlpine } from './v0.0.1/entry.js';
