/**
 * A PGP "public key" as Rekor accepts it: one or more armored blocks (public, or private ones read
 * for their public part) or a binary keyring, holding at least one key able to sign. The
 * canonical value is one armored PUBLIC KEY BLOCK over every entity's public packets, in Go's
 * armor form (see armor.ts). Every failure is RekorError('invalid_entry') with Rekor's texts.
 */
import { createHash } from 'node:crypto';
import { enums, readKeys, type Key } from 'openpgp';
import { RekorError } from '../../errors.js';
import { ARMOR_PRIVATE_KEY, ARMOR_PUBLIC_KEY, decodeArmor, encodeArmor, splitArmoredBlocks } from './armor.js';
import { emailSubjects } from './user-id.js';
import { PGP_CONFIG } from './config.js';

export interface PgpPublicKey {
  /** Canonical armored bytes, as stored in the entry body and hashed for the index. */
  readonly canonical: Uint8Array;
  /** The keyring (public parts only) used to verify signatures. */
  readonly keys: readonly Key[];
  /** Lower-cased email addresses of the user IDs. */
  readonly subjects: readonly string[];
}

/** Upper bound on key input; real keyrings with many certifications stay far below it. */
export const MAX_PGP_KEY_SIZE = 1 << 20;

const ARMOR_START = new TextEncoder().encode('-----BEGIN PGP');

const SIGNING_ALGORITHMS = new Set<enums.publicKey>([
  enums.publicKey.rsaEncryptSign,
  enums.publicKey.rsaSign,
  enums.publicKey.dsa,
  enums.publicKey.ecdsa,
  enums.publicKey.eddsaLegacy,
  enums.publicKey.ed25519,
  enums.publicKey.ed448,
]);

function invalid(message: string, cause?: unknown): RekorError {
  return new RekorError('invalid_entry', message, cause === undefined ? undefined : { cause });
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function startsWithArmor(content: Uint8Array): boolean {
  return content.length >= ARMOR_START.length && ARMOR_START.every((byte, i) => content[i] === byte);
}

async function readArmoredKeys(content: Uint8Array): Promise<Key[]> {
  const keys: Key[] = [];
  for (const blockText of splitArmoredBlocks(new TextDecoder().decode(content))) {
    const block = decodeArmor(blockText);
    if (block === undefined) throw invalid('invalid PGP public key provided: armor decoding failed');
    if (block.type !== ARMOR_PUBLIC_KEY && block.type !== ARMOR_PRIVATE_KEY) throw invalid('invalid PGP type detected');
    keys.push(...(await readKeyring(block.body, 'error reading PGP public key')));
  }
  return keys;
}

async function readKeyring(body: Uint8Array, context: string): Promise<Key[]> {
  try {
    const keys = await readKeys({ binaryKeys: body, config: PGP_CONFIG });
    return keys.map((key) => (key.isPrivate() ? key.toPublic() : key));
  } catch (err) {
    throw invalid(`${context}: ${reason(err)}`, err);
  }
}

function canSign(key: Key): boolean {
  const packets = [key.keyPacket, ...key.getSubkeys().map((subkey) => subkey.keyPacket)];
  return packets.some((packet) => SIGNING_ALGORITHMS.has(packet.algorithm));
}

function userIds(keys: readonly Key[]): string[] {
  return keys.flatMap((key) => key.users.flatMap((user) => (user.userID ? [user.userID.userID] : [])));
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

export async function parsePgpPublicKey(content: Uint8Array): Promise<PgpPublicKey> {
  if (content.length > MAX_PGP_KEY_SIZE) throw invalid(`PGP public key is larger than ${MAX_PGP_KEY_SIZE} bytes`);
  if (content.length < ARMOR_START.length) throw invalid('unable to read PGP public key: EOF');
  const keys = startsWithArmor(content)
    ? await readArmoredKeys(content)
    : await readKeyring(content, 'error reading binary PGP public key');
  if (!keys.some(canSign)) throw invalid('no PGP public keys could be read');
  // toPacketList().write() emits new-format packet headers, as Go's re-serialization does.
  const body = concat(keys.map((key) => key.toPacketList().write()));
  return { canonical: encodeArmor(ARMOR_PUBLIC_KEY, body), keys, subjects: emailSubjects(userIds(keys)) };
}

/** The index key of a PGP public key: lower-case hex SHA-256 of its canonical form. */
export async function pgpSearchKey(content: Uint8Array): Promise<string> {
  const { canonical } = await parsePgpPublicKey(content);
  return createHash('sha256').update(canonical).digest('hex');
}
