/**
 * The search-index key for a public key given to POST /api/v1/index/retrieve: the key is parsed
 * with its PKI format and canonicalized exactly as entries store it, and the key is the unprefixed
 * lower-case hex SHA-256 of that canonical form (so it matches what hashedrekord, rekord, … index).
 * Only the formats listed in SEARCH_KEY_FORMATS are supported. A `tuf` key is a root.json that
 * must verify itself, expiry included, against the system clock (as Rekor's search does).
 */
import { createHash } from 'node:crypto';
import { RekorError } from '../errors.js';
import { minisignSearchKey } from '../pki/minisign/index.js';
import { pgpSearchKey } from '../pki/pgp/index.js';
import { sshSearchKey } from '../pki/ssh/index.js';
import { tufSearchKey } from '../pki/tuf/index.js';
import { parseX509PublicKey } from '../pki/x509/index.js';

const SEARCH_KEYS: Record<string, (content: Uint8Array) => string | Promise<string>> = {
  x509: (content) => createHash('sha256').update(parseX509PublicKey(content).canonical).digest('hex'),
  pgp: pgpSearchKey,
  minisign: minisignSearchKey,
  ssh: sshSearchKey,
  tuf: (content) => tufSearchKey(content, new Date()),
};

export const SEARCH_KEY_FORMATS: readonly string[] = Object.keys(SEARCH_KEYS);

/** Throws RekorError('bad_request') for an unsupported format, RekorError('invalid_entry') for a bad key. */
export async function publicKeySearchKey(format: string, content: Uint8Array): Promise<string> {
  const searchKey = SEARCH_KEYS[format];
  if (searchKey === undefined) throw new RekorError('bad_request', 'the PKI format requested is not supported by this server');
  return searchKey(content);
}
