/**
 * The helm entry kind (a Helm chart's clear-signed provenance file and the PGP key that signed
 * it). One version, 0.0.1.
 */
import type { EntryKind } from '../types.js';
import { helmV001 } from './v0.0.1/entry.js';

export const helmKind: EntryKind = {
  kind: 'helm',
  versions: [helmV001],
  defaultVersion: '0.0.1',
};

export { canonicalizeHelm } from './v0.0.1/entry.js';
