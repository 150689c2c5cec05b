/**
 * RFC 6962 §2.1 hashing with SHA-256: the only file of the module that imports node:crypto, so a
 * browser build can swap this one file for a WebCrypto-free SHA-256 (e.g. @noble/hashes).
 * Every function returns a fresh Uint8Array that the caller owns.
 */
import { createHash } from 'node:crypto';

export const HASH_SIZE = 32;

const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = new Uint8Array([0x01]);

function sha256(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  // Copy out of the Buffer so callers never share Node's pooled memory.
  return new Uint8Array(hash.digest());
}

/** SHA-256(0x00 || data): the hash of a log entry. */
export function hashLeaf(data: Uint8Array): Uint8Array {
  return sha256(LEAF_PREFIX, data);
}

/** SHA-256(0x01 || left || right): the hash of an interior node. */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(NODE_PREFIX, left, right);
}

/** The root of the empty tree, SHA-256(""). Frozen in spirit: copy before mutating. */
export const EMPTY_ROOT: Uint8Array = sha256();
