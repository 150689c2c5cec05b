/**
 * SSH public keys as Rekor's pkg/pki/ssh reads them: golang.org/x/crypto/ssh ParseAuthorizedKey
 * (first usable line; blank and `#` lines skipped; an options field allowed; the text type field
 * is ignored in favour of the blob's). Canonical = MarshalAuthorizedKey, `<type> <base64>\n`
 * without the comment. The comment is the key's one index subject when it is an email address.
 * Pure; throws RekorError('invalid_entry').
 */
import { createHash } from 'node:crypto';
import { RekorError } from '../../errors.js';
import { decodeStdBase64, encodeStdBase64 } from '../base64.js';
import { parseKeyBlob, type SshKeyBlob } from './key-blob.js';

export interface SshPublicKey {
  /** Canonical authorized-key line, as stored in the entry body. */
  readonly canonical: Uint8Array;
  readonly publicKey: SshKeyBlob;
  readonly comment: string;
  /** The comment when it is an email address; otherwise none. */
  readonly subjects: readonly string[];
}

/** Rekor reads at most this much of an SSH public key field. */
export const MAX_SSH_PUBLIC_KEY_SIZE = 64 * 1024;

const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';

/** `base64 [comment]` after the type field (x/crypto parseAuthorizedKey). */
function parseKeyAndComment(field: string): { key: SshKeyBlob; comment: string } | undefined {
  const text = field.trim();
  const space = text.search(/[ \t]/);
  const end = space < 0 ? text.length : space;
  try {
    const key = parseKeyBlob(decodeStdBase64(Buffer.from(text.slice(0, end), 'latin1')));
    return { key, comment: text.slice(end).trim() };
  } catch {
    return undefined;
  }
}

/** Index just past a leading options field (quotes may hold blanks), or undefined. */
function skipOptions(line: string): number | undefined {
  let inQuote = false;
  let i = 0;
  for (; i < line.length; i++) {
    const c = line[i];
    if (!inQuote && isBlank(c)) break;
    if (c === '"' && (i === 0 || line[i - 1] !== '\\')) inQuote = !inQuote;
  }
  while (i < line.length && isBlank(line[i])) i++;
  return i === line.length ? undefined : i;
}

function parseLine(line: string): { key: SshKeyBlob; comment: string } | undefined {
  const typeEnd = line.search(/[ \t]/);
  if (typeEnd < 0) return undefined;
  const plain = parseKeyAndComment(line.slice(typeEnd));
  if (plain !== undefined) return plain;
  const start = skipOptions(line);
  if (start === undefined) return undefined;
  const rest = line.slice(start);
  const afterType = rest.search(/[ \t]/);
  return afterType < 0 ? undefined : parseKeyAndComment(rest.slice(afterType));
}

/** Parses an SSH public key field. Throws RekorError('invalid_entry'). */
export function parseSshPublicKey(input: Uint8Array): SshPublicKey {
  if (input.length > MAX_SSH_PUBLIC_KEY_SIZE) {
    throw new RekorError('invalid_entry', `ssh public key larger than ${MAX_SSH_PUBLIC_KEY_SIZE} bytes`);
  }
  // latin1 maps bytes one to one, so offsets and base64 agree with Go's byte slices.
  const text = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
  for (const rawLine of text.split('\n')) {
    const cr = rawLine.indexOf('\r');
    const line = (cr < 0 ? rawLine : rawLine.slice(0, cr)).trim();
    if (line.length === 0 || line.startsWith('#')) continue;
    const parsed = parseLine(line);
    if (parsed === undefined) continue;
    const canonical = new Uint8Array(Buffer.from(`${parsed.key.type} ${encodeStdBase64(parsed.key.blob)}\n`, 'latin1'));
    const subjects = EMAIL.test(parsed.comment) ? [Buffer.from(parsed.comment, 'latin1').toString('utf8')] : [];
    return { canonical, publicKey: parsed.key, comment: parsed.comment, subjects };
  }
  throw new RekorError('invalid_entry', 'ssh: no key found');
}

/** Index key of an SSH public key: lower-case hex SHA-256 of its canonical form. */
export function sshSearchKey(content: Uint8Array): string {
  return createHash('sha256').update(parseSshPublicKey(content).canonical).digest('hex');
}
