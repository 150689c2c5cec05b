/**
 * The jar entry kind: a signed Java archive sent inline; the server verifies the JAR signature
 * and records the archive hash, the PKCS#7 signature block and its first certificate. One
 * version, 0.0.1.
 */
import type { EntryKind } from '../types.js';
import { jarV001 } from './v0.0.1/entry.js';

export const jarKind: EntryKind = {
  kind: 'jar',
  versions: [jarV001],
  defaultVersion: '0.0.1',
};

export { canonicalizeJar } from './v0.0.1/entry.js';
