/**
 * RFC 6962 §2.1 hashing with SHA-256: the only file of the module that imports node:crypto, so a
 * browser build can swap this one file for a WebCrypto-free SHA-256 (e.g. @noble/hashes).
 * Every function returns a fresh Uint8Array that the caller owns.
 */
import { createHash, hash } from 'node:crypto';

export const HASH_SIZE = 32;

const LEAF_PREFIX_BYTES = new Uint8Array([0x00]);
const NODE_PREFIX = 0x01;

/** The input of an interior node's hash, reused: one-shot hashing of it is the tree's hot path. */
const nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeInput[0] = NODE_PREFIX;

function sha256(data: Uint8Array): Uint8Array {
  // Copied out of the Buffer so callers never share Node's memory.
  return new Uint8Array(hash('sha256', data, 'buffer'));
}

/** SHA-256(0x00 || data): the hash of a log entry. */
export function hashLeaf(data: Uint8Array): Uint8Array {
  // Streamed: an entry may be large, and copying it behind a prefix byte would cost more.
  return new Uint8Array(createHash('sha256').update(LEAF_PREFIX_BYTES).update(data).digest());
}

/** SHA-256(0x01 || left || right): the hash of an interior node. */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    return sha256(Buffer.concat([nodeInput.subarray(0, 1), left, right]));
  }
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return sha256(nodeInput);
}

/**
 * hashChildren over two adjacent hashes inside `nodes` (the left one at byte `childrenAt`), written
 * into `nodes` at byte `parentAt`: tile expansion without an object per node.
 */
export function hashChildrenInto(nodes: Uint8Array, childrenAt: number, parentAt: number): void {
  nodeInput.set(nodes.subarray(childrenAt, childrenAt + 2 * HASH_SIZE), 1);
  nodes.set(hash('sha256', nodeInput, 'buffer'), parentAt);
}

/** The root of the empty tree, SHA-256(""). Frozen in spirit: copy before mutating. */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));
