/**
 * The intoto entry kind (DSSE envelopes of in-toto attestations). 0.0.1 carries one key and the
 * envelope as a JSON string; 0.0.2, the default as in Rekor's CLI, carries the envelope as an
 * object with a key per signature. The canonical body drops the payload; the decoded payload is
 * handed back as the entry's attestation, which the log stores beside the entry.
 */
import type { EntryKind } from '../types.js';
import { intotoV001 } from './v0.0.1/entry.js';
import { intotoV002 } from './v0.0.2/entry.js';

export const intotoKind: EntryKind = {
  kind: 'intoto',
  versions: [intotoV001, intotoV002],
  defaultVersion: '0.0.2',
};

export { canonicalizeIntotoV001 } from './v0.0.1/entry.js';
export { canonicalizeIntotoV002 } from './v0.0.2/entry.js';
