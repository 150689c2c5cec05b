/**
 * A hash tile with its internal subtree nodes computed once (at most 255 hashes for a full
 * tile), so every later lookup is O(1) without hashing. Immutable: the constructor copies the
 * tile data and lookups return copies, so a cached tile can be shared by concurrent readers.
 * Also holds the small routines that hash within a tile, used by appending.
 */
import { MerkleError } from './errors.js';
import { HASH_SIZE, hashChildren, hashChildrenInto } from './hash.js';
import { TILE_HEIGHT, requireTileId, type TileId } from './tile-id.js';

/** Splits concatenated tile data into `count` hash views (no copy). */
export function tileHashes(data: Uint8Array, count: number): Uint8Array[] {
  const hashes: Uint8Array[] = [];
  for (let i = 0; i < count; i++) hashes.push(data.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
  return hashes;
}

/** The level above `hashes`: one parent per complete pair; an odd last hash has no parent yet. */
export function parentLevel(hashes: readonly Uint8Array[]): Uint8Array[] {
  const parents: Uint8Array[] = [];
  for (let i = 0; i + 1 < hashes.length; i += 2) {
    parents.push(hashChildren(hashes[i] as Uint8Array, hashes[i + 1] as Uint8Array));
  }
  return parents;
}

/** Root of the perfect subtree over hashes[start, start+count), count a power of two. */
export function perfectRoot(hashes: readonly Uint8Array[], start: number, count: number): Uint8Array {
  let level = hashes.slice(start, start + count);
  while (level.length > 1) level = parentLevel(level);
  return new Uint8Array(level[0] as Uint8Array);
}

/** Compact range of the first `width` hashes of a tile: perfect subtree roots, largest first. */
export function tilePrefixRange(hashes: readonly Uint8Array[], width: number): Uint8Array[] {
  const roots: Uint8Array[] = [];
  let start = 0;
  for (let levelInTile = TILE_HEIGHT; levelInTile >= 0; levelInTile--) {
    const count = 1 << levelInTile;
    if ((width & count) !== 0) {
      roots.push(perfectRoot(hashes, start, count));
      start += count;
    }
  }
  return roots;
}

export class ExpandedTile {
  readonly tile: TileId;
  /**
   * Every node of the tile in one buffer, level by level from the leaves: a cache holds thousands
   * of tiles, and one object per node (511 in a full tile) would make them millions for the
   * garbage collector to trace.
   */
  readonly #nodes: Uint8Array;
  /** Per level inside the tile: where its first node starts in #nodes (in hashes), and how many it has. */
  readonly #levelStart: number[] = [];
  readonly #levelCount: number[] = [];

  constructor(tile: TileId, data: Uint8Array) {
    requireTileId(tile);
    if (!(data instanceof Uint8Array) || data.length !== tile.width * HASH_SIZE) {
      const got = data instanceof Uint8Array ? data.length : typeof data;
      const message = `tile of width ${tile.width} needs ${tile.width * HASH_SIZE} bytes, got ${got}`;
      throw new MerkleError('invalid_input', message);
    }
    this.tile = Object.freeze({ level: tile.level, index: tile.index, width: tile.width });
    // A level has one parent per complete pair below it; an odd last node has no parent yet.
    let total = 0;
    for (let count = tile.width; ; count = Math.floor(count / 2)) {
      this.#levelStart.push(total);
      this.#levelCount.push(count);
      total += count;
      if (count <= 1) break;
    }
    this.#nodes = new Uint8Array(total * HASH_SIZE);
    this.#nodes.set(data);
    for (let level = 1; level < this.#levelCount.length; level++) {
      const below = this.#levelStart[level - 1] as number;
      const start = this.#levelStart[level] as number;
      for (let i = 0; i < (this.#levelCount[level] as number); i++) {
        hashChildrenInto(this.#nodes, (below + 2 * i) * HASH_SIZE, (start + i) * HASH_SIZE);
      }
    }
  }

  /** The node at `levelInTile` (0..8; 8 is the root of a full tile), `indexInTile` from the left. */
  node(levelInTile: number, indexInTile: number): Uint8Array {
    const count = this.#levelCount[levelInTile];
    if (count === undefined || !Number.isInteger(indexInTile) || indexInTile < 0 || indexInTile >= count) {
      const { level, index, width } = this.tile;
      const message = `no node (${levelInTile}, ${indexInTile}) in tile ${level}/${index} of width ${width}`;
      throw new MerkleError('invalid_index', message);
    }
    const at = ((this.#levelStart[levelInTile] as number) + indexInTile) * HASH_SIZE;
    return this.#nodes.slice(at, at + HASH_SIZE);
  }
}
