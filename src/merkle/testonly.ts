/**
 * Test support, not exported from index.ts: the RFC 6962 §2.1 reference definitions written as
 * recursively as the RFC states them (MTH, PATH, PROOF), the oracle the fast code is checked
 * against; deterministic leaf hashes; and an in-memory tile store like the one storage keeps.
 */
import { appendLeaves, type TileWrite } from './append.js';
import { ExpandedTile } from './expanded-tile.js';
import { EMPTY_ROOT, hashChildren, hashLeaf } from './hash.js';
import { tileKey, type TileId } from './tile-id.js';

/** Largest power of two strictly below n (n >= 2): RFC 6962's split point k. */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** RFC 6962 over `leafHashes` (leaves given already hashed); subtree roots are memoised. */
export function referenceTree(leafHashes: readonly Uint8Array[]) {
  const memo = new Map<string, Uint8Array>();
  const mth = (lo: number, hi: number): Uint8Array => {
    if (hi - lo === 0) return EMPTY_ROOT;
    if (hi - lo === 1) return leafHashes[lo] as Uint8Array;
    const key = `${lo}:${hi}`;
    let hash = memo.get(key);
    if (hash === undefined) {
      const k = split(hi - lo);
      hash = hashChildren(mth(lo, lo + k), mth(lo + k, hi));
      memo.set(key, hash);
    }
    return hash;
  };
  const path = (m: number, lo: number, hi: number): Uint8Array[] => {
    if (hi - lo <= 1) return [];
    const k = split(hi - lo);
    return m < k ? [...path(m, lo, lo + k), mth(lo + k, hi)] : [...path(m - k, lo + k, hi), mth(lo, lo + k)];
  };
  const subproof = (m: number, lo: number, hi: number, complete: boolean): Uint8Array[] => {
    if (m === hi - lo) return complete ? [] : [mth(lo, hi)];
    const k = split(hi - lo);
    return m <= k
      ? [...subproof(m, lo, lo + k, complete), mth(lo + k, hi)]
      : [...subproof(m - k, lo + k, hi, false), mth(lo, lo + k)];
  };
  return {
    root: (size: number): Uint8Array => mth(0, size),
    node: (level: number, index: number): Uint8Array => mth(index * 2 ** level, (index + 1) * 2 ** level),
    inclusion: (index: number, size: number): Uint8Array[] => path(index, 0, size),
    consistency: (size1: number, size2: number): Uint8Array[] => subproof(size1, 0, size2, true),
  };
}

export type ReferenceTree = ReturnType<typeof referenceTree>;

/** Deterministic, distinct leaf hashes. */
export function makeLeafHashes(count: number): Uint8Array[] {
  const encoder = new TextEncoder();
  return Array.from({ length: count }, (_, i) => hashLeaf(encoder.encode(`leaf ${i}`)));
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/**
 * Tiles by (level, index), keeping the widest version seen, as a tile store does. It checks that
 * a grown tile extends the stored one, so an append that rewrites history fails loudly.
 */
export class MemoryTileStore {
  readonly #data = new Map<string, { tile: TileId; data: Uint8Array }>();
  readonly #expanded = new Map<string, ExpandedTile>();
  readonly requested: TileId[] = [];

  put(write: TileWrite): void {
    const key = tileKey(write.tile);
    const old = this.#data.get(key);
    if (old !== undefined) {
      const prefix = write.data.subarray(0, old.data.length);
      if (old.tile.width > write.tile.width || hex(prefix) !== hex(old.data)) {
        throw new Error(`tile ${key} rewritten: width ${old.tile.width} -> ${write.tile.width}`);
      }
    }
    this.#data.set(key, write);
    this.#expanded.delete(key);
  }

  has(tile: TileId): boolean {
    return (this.#data.get(tileKey(tile))?.tile.width ?? 0) >= tile.width;
  }

  data(tile: TileId): Uint8Array | undefined {
    return this.#data.get(tileKey(tile))?.data.subarray(0, tile.width * 32);
  }

  /** Serves the widest stored version; records each request for coverage checks. */
  readonly getTile = (tile: TileId): ExpandedTile => {
    this.requested.push(tile);
    const key = tileKey(tile);
    const stored = this.#data.get(key);
    if (stored === undefined || stored.tile.width < tile.width) {
      throw new Error(`no tile ${key} of width ${tile.width}`);
    }
    let expanded = this.#expanded.get(key);
    if (expanded === undefined) {
      expanded = new ExpandedTile(stored.tile, stored.data);
      this.#expanded.set(key, expanded);
    }
    return expanded;
  };
}

/** Appends `leafHashes` in batches of the given sizes; returns the store and the final result. */
export function appendInBatches(leafHashes: readonly Uint8Array[], batchSizes: readonly number[]) {
  const store = new MemoryTileStore();
  let result = appendLeaves(0n, [], []);
  let next = 0;
  for (const batchSize of [...batchSizes, leafHashes.length]) {
    const batch = leafHashes.slice(next, Math.min(leafHashes.length, next + batchSize));
    next += batch.length;
    result = appendLeaves(result.size, result.edge, batch);
    result.tiles.forEach((write) => store.put(write));
  }
  return { store, result };
}
