/**
 * pki/tuf: signed TUF metadata as Rekor's `tuf` PKI format — a self-verifying root.json as the
 * key, any signed metadata as the signature, go-tuf v0.7's verification rules, canonical values
 * as RFC 8785 JCS of the re-marshalled envelopes. No I/O; the clock is the caller's.
 */
import { createHash } from 'node:crypto';
import { parseJsonBytes } from './go-json.js';
import { parseTufRoot } from './metadata.js';

export { parseTufRoot, parseTufSigned, verifyTufMetadata, MAX_TUF_NESTING, type TufRoot, type TufSigned, type TufSignature } from './metadata.js';
export { canonicalJson } from './cjson.js';
export { parseJsonBytes } from './go-json.js';

/**
 * The index key of a TUF root given as search input: lower-case hex SHA-256 of its canonical
 * form, after the same self-verification (including expiry) Rekor performs.
 */
export function tufSearchKey(content: Uint8Array, now: Date): string {
  const root = parseTufRoot(parseJsonBytes(content), now);
  return createHash('sha256').update(root.envelope.canonical).digest('hex');
}
