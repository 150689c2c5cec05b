/**
 * C2SP tlog-tiles coordinates, tile height 8. A level-L tile N of width w (1..256, 256 = full)
 * holds the hashes of tree-level 8L nodes N·256 .. N·256+w-1; tree levels 8L+1..8L+7 are
 * derived inside the tile, and tree level 8L+8 is stored in the level-(L+1) tile.
 * Pure arithmetic; throws MerkleError on malformed ids or nodes outside the tree.
 */
import { MerkleError } from './errors.js';
import { nodeEnd, requireUint64, type NodeId } from './node.js';

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
/** Highest tile level C2SP allows in a path. */
export const MAX_TILE_LEVEL = 63;

export interface TileId {
  level: number;
  index: bigint;
  width: number;
}

export function requireTileId(tile: TileId): void {
  const { level, index, width } = tile;
  if (!Number.isInteger(level) || level < 0 || level > MAX_TILE_LEVEL) {
    throw new MerkleError('invalid_input', `tile level must be an integer in 0..${MAX_TILE_LEVEL}, got ${level}`);
  }
  requireUint64(index, 'invalid_input', 'tile index');
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) {
    throw new MerkleError('invalid_input', `tile width must be an integer in 1..${TILE_WIDTH}, got ${width}`);
  }
}

/** Tree-level shift of a tile level's hashes, as a bigint shift amount. */
export function tileLevelShift(level: number): bigint {
  return BigInt(TILE_HEIGHT * level);
}

/** Width of tile (level, index) in a tree of `size` leaves; 0 when the tile is still empty. */
export function tileWidthAt(level: number, index: bigint, size: bigint): number {
  const hashesAtLevel = size >> tileLevelShift(level);
  const first = index * BigInt(TILE_WIDTH);
  if (hashesAtLevel <= first) return 0;
  const width = hashesAtLevel - first;
  return width >= BigInt(TILE_WIDTH) ? TILE_WIDTH : Number(width);
}

/** Stable map key for a tile regardless of width. */
export function tileKey(tile: { level: number; index: bigint }): string {
  return `${tile.level}/${tile.index}`;
}

/**
 * The tile, at the width it has in a tree of `size`, whose hashes store or derive `node`.
 * A node at tree level 8L+r (r < 8) lives at level r inside level-L tile.
 */
export function tileForNode(node: NodeId, size: bigint): TileId {
  requireUint64(size, 'invalid_size', 'size');
  if (!Number.isInteger(node.level) || node.level < 0 || node.level > 64) {
    throw new MerkleError('invalid_input', `node level must be an integer in 0..64, got ${node.level}`);
  }
  requireUint64(node.index, 'invalid_index', 'node index');
  if (nodeEnd(node) > size) {
    const message = `node (${node.level}, ${node.index}) is not complete in a tree of size ${size}`;
    throw new MerkleError('invalid_index', message);
  }
  const level = Math.floor(node.level / TILE_HEIGHT);
  const levelInTile = node.level % TILE_HEIGHT;
  const index = node.index >> BigInt(TILE_HEIGHT - levelInTile);
  return { level, index, width: tileWidthAt(level, index, size) };
}

/** Position of `node` inside the tile that tileForNode returns. */
export function nodeInTile(node: NodeId): { levelInTile: number; indexInTile: number } {
  const levelInTile = node.level % TILE_HEIGHT;
  const perTile = BigInt(TILE_WIDTH >> levelInTile);
  return { levelInTile, indexInTile: Number(node.index % perTile) };
}
