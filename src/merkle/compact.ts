/**
 * Compact ranges over [0, size): the hashes of the perfect subtrees of size's binary
 * decomposition, largest (leftmost) first. This is all the state needed to append leaves and
 * compute the root, in O(log size) memory; appending costs one hash per trailing one bit of
 * size (amortised O(1)). Throws MerkleError on malformed hashes or sizes.
 */
import { MerkleError } from './errors.js';
import { EMPTY_ROOT, hashChildren } from './hash.js';
import { MAX_UINT64, compactRangeNodes, onesCount, requireHash, requireUint64, type NodeId } from './node.js';

export { compactRangeNodes };

/** The root of a tree given its compact range hashes (largest first); EMPTY_ROOT for none. */
export function rootFromRangeHashes(hashes: readonly Uint8Array[]): Uint8Array {
  const last = hashes[hashes.length - 1];
  if (last === undefined) return EMPTY_ROOT.slice();
  let root: Uint8Array = new Uint8Array(last);
  // The rightmost subtrees are the smallest, so the tree's right border folds right to left.
  for (let i = hashes.length - 2; i >= 0; i--) root = hashChildren(hashes[i] as Uint8Array, root);
  return root;
}

export class CompactRange {
  #size: bigint;
  readonly #hashes: Uint8Array[];

  private constructor(size: bigint, hashes: Uint8Array[]) {
    this.#size = size;
    this.#hashes = hashes;
  }

  static empty(): CompactRange {
    return new CompactRange(0n, []);
  }

  /** Adopts copies of `hashes`, which must be the subtree hashes of compactRangeNodes(size). */
  static fromNodes(size: bigint, hashes: Uint8Array[]): CompactRange {
    requireUint64(size, 'invalid_size', 'size');
    const want = onesCount(size);
    if (hashes.length !== want) {
      const message = `compact range of size ${size} needs ${want} hashes, got ${hashes.length}`;
      throw new MerkleError('invalid_input', message);
    }
    hashes.forEach((hash, i) => requireHash(hash, `hashes[${i}]`));
    return new CompactRange(size, hashes.map((hash) => new Uint8Array(hash)));
  }

  get size(): bigint {
    return this.#size;
  }

  nodes(): NodeId[] {
    return compactRangeNodes(this.#size);
  }

  hashes(): Uint8Array[] {
    return this.#hashes.map((hash) => new Uint8Array(hash));
  }

  append(leafHash: Uint8Array): void {
    requireHash(leafHash, 'leafHash');
    if (this.#size === MAX_UINT64) throw new MerkleError('invalid_size', 'compact range is full');
    let hash: Uint8Array = new Uint8Array(leafHash);
    // Each trailing one bit of size is a subtree of the same height as the new one: merge.
    for (let size = this.#size; (size & 1n) === 1n; size >>= 1n) {
      hash = hashChildren(this.#hashes.pop() as Uint8Array, hash);
    }
    this.#hashes.push(hash);
    this.#size += 1n;
  }

  root(): Uint8Array {
    return rootFromRangeHashes(this.#hashes);
  }
}
