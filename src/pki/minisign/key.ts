/**
 * Minisign / signify public keys as Rekor's pkg/pki/minisign reads them (go-minisign underneath):
 * the full `.pub` text (comment line + base64 line), the bare base64 line, or, for entries made
 * by old clients, the 32 raw Ed25519 key bytes (or their base64). The canonical value is the
 * base64 of `alg || keyId || key` on one line; a legacy key has no key ID, so its canonical value
 * is the base64 of the 32 key bytes, which this parser reads back. Pure; throws
 * RekorError('invalid_entry') and nothing else.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { RekorError } from '../../errors.js';
import { decodeStdBase64, encodeStdBase64 } from '../base64.js';

export interface MinisignPublicKey {
  /** Canonical key text bytes, as stored in the entry body. */
  readonly canonical: Uint8Array;
  /** Ed25519 key ready for node:crypto. */
  readonly publicKey: KeyObject;
  /** The 8-byte key ID a signature must name; undefined for a legacy raw key. */
  readonly keyId: Uint8Array | undefined;
  /** Minisign keys name no identity. */
  readonly subjects: readonly string[];
}

const KEY_ALGORITHM = 'Ed';
const ENCODED_KEY_SIZE = 42;
const RAW_KEY_SIZE = 32;
/** A .pub file is two short lines; anything much larger is not a key and is not scanned. */
const MAX_KEY_INPUT = 4096;
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function fail(message: string): never {
  throw new RekorError('invalid_entry', message);
}

/** Base64 as Go decodes it, or undefined when it is not base64. */
function tryBase64(text: Uint8Array): Uint8Array | undefined {
  try {
    return decodeStdBase64(text);
  } catch {
    return undefined;
  }
}

export function ed25519KeyObject(raw: Uint8Array): KeyObject {
  try {
    return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new RekorError('invalid_entry', 'unable to read minisign public key: invalid ed25519 key', { cause });
  }
}

function fromEncoded(bin: Uint8Array): MinisignPublicKey {
  if (Buffer.from(bin.subarray(0, 2)).toString('latin1') !== KEY_ALGORITHM) {
    fail('unable to read minisign public key: unsupported key algorithm');
  }
  const raw = bin.slice(10, ENCODED_KEY_SIZE);
  const canonical = new Uint8Array(Buffer.from(encodeStdBase64(bin), 'latin1'));
  return { canonical, publicKey: ed25519KeyObject(raw), keyId: bin.slice(2, 10), subjects: [] };
}

function fromRaw(raw: Uint8Array): MinisignPublicKey {
  const canonical = new Uint8Array(Buffer.from(encodeStdBase64(raw), 'latin1'));
  return { canonical, publicKey: ed25519KeyObject(raw), keyId: undefined, subjects: [] };
}

/** The second line of a `.pub` file (go-minisign DecodePublicKey: SplitN(in, "\n", 2)). */
function secondLine(input: Uint8Array): Uint8Array | undefined {
  const newline = input.indexOf(0x0a);
  return newline < 0 ? undefined : input.subarray(newline + 1);
}

/** Parses a minisign public key field. Throws RekorError('invalid_entry'). */
export function parseMinisignPublicKey(input: Uint8Array): MinisignPublicKey {
  if (input.length > MAX_KEY_INPUT) fail('unable to read minisign public key: input too large');
  for (const candidate of [secondLine(input), input]) {
    if (candidate === undefined) continue;
    const bin = tryBase64(candidate);
    if (bin?.length === ENCODED_KEY_SIZE) return fromEncoded(bin);
  }
  if (input.length === RAW_KEY_SIZE) return fromRaw(input);
  const legacy = tryBase64(input);
  if (legacy?.length === RAW_KEY_SIZE) return fromRaw(legacy);
  fail('unable to read minisign public key: Invalid encoded public key');
}

/** Index key of a minisign public key: lower-case hex SHA-256 of its canonical form. */
export function minisignSearchKey(content: Uint8Array): string {
  return createHash('sha256').update(parseMinisignPublicKey(content).canonical).digest('hex');
}
