/**
 * Node ids and the bigint bit arithmetic the rest of the module plans with. A node id names a
 * perfect subtree: level `level`, covering leaves [index·2^level, (index+1)·2^level). Sizes and
 * indices are uint64 (as in RFC 9162 and every Go implementation); anything else is rejected
 * here with a MerkleError so callers see one failure mode for out-of-range input.
 */
import { MerkleError, type MerkleErrorCode } from './errors.js';
import { HASH_SIZE } from './hash.js';

export interface NodeId {
  level: number;
  index: bigint;
}

export const MAX_UINT64 = (1n << 64n) - 1n;

/** Throws `code` unless `value` is a bigint in [0, 2^64). */
export function requireUint64(value: bigint, code: MerkleErrorCode, name: string): void {
  if (typeof value !== 'bigint' || value < 0n || value > MAX_UINT64) {
    throw new MerkleError(code, `${name} must be a uint64 bigint, got ${String(value)}`);
  }
}

/** Throws `invalid_hash` unless `hash` is HASH_SIZE bytes. */
export function requireHash(hash: Uint8Array, name: string): void {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
    const got = hash instanceof Uint8Array ? hash.length : typeof hash;
    throw new MerkleError('invalid_hash', `${name} has unexpected size ${got}, want ${HASH_SIZE}`);
  }
}

/** Number of bits needed to write x (0 for 0); x >= 0. */
export function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** Number of one bits in x; x >= 0. */
export function onesCount(x: bigint): number {
  let count = 0;
  for (const digit of x.toString(2)) if (digit === '1') count++;
  return count;
}

/** Number of trailing zero bits of x; x > 0. */
export function trailingZeros(x: bigint): number {
  const binary = x.toString(2);
  return binary.length - 1 - binary.lastIndexOf('1');
}

/** The first leaf after the subtree `node`. */
export function nodeEnd(node: NodeId): bigint {
  return (node.index + 1n) << BigInt(node.level);
}

/**
 * The perfect subtrees that exactly cover leaves [begin, end), left to right: at each step the
 * largest subtree that starts at `begin` (is aligned) and does not pass `end`.
 */
export function rangeNodes(begin: bigint, end: bigint): NodeId[] {
  const nodes: NodeId[] = [];
  while (begin < end) {
    let level = bitLength(end - begin) - 1;
    if (begin !== 0n) level = Math.min(level, trailingZeros(begin));
    nodes.push({ level, index: begin >> BigInt(level) });
    begin += 1n << BigInt(level);
  }
  return nodes;
}

/** The compact range [0, size): one perfect subtree per set bit of size, largest first. */
export function compactRangeNodes(size: bigint): NodeId[] {
  requireUint64(size, 'invalid_size', 'size');
  const nodes: NodeId[] = [];
  for (let level = bitLength(size) - 1; level >= 0; level--) {
    const count = size >> BigInt(level);
    if ((count & 1n) === 1n) nodes.push({ level, index: count - 1n });
  }
  return nodes;
}
