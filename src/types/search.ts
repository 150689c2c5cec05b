/**
 * The search-index key for a public key given to POST /api/v1/index/retrieve: the key is parsed
 * with its PKI format and canonicalized exactly as entries store it, and the key is the unprefixed
 * lower-case hex SHA-256 of that canonical form (so it matches what hashedrekord, rekord, … index).
 * Only the formats listed in SEARCH_KEY_FORMATS are supported; more arrive with their PKI modules.
 */
import { createHash } from 'node:crypto';
import { RekorError } from '../errors.js';
import { parseX509PublicKey } from '../pki/x509/index.js';

export const SEARCH_KEY_FORMATS: readonly string[] = ['x509'];

/** Throws RekorError('bad_request') for an unsupported format, RekorError('invalid_entry') for a bad key. */
export async function publicKeySearchKey(format: string, content: Uint8Array): Promise<string> {
  if (format !== 'x509') throw new RekorError('bad_request', 'the PKI format requested is not supported by this server');
  const key = parseX509PublicKey(content);
  return createHash('sha256').update(key.canonical).digest('hex');
}
