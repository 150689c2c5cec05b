/**
 * Appending leaves to a tiled tree: the pure integration step. The caller passes the tree's
 * right edge (its partial tiles, at most one per tile level) and gets back every tile to write,
 * the new edge and the new root. Nothing else of the tree is read, so the cost is the new
 * hashes themselves plus, per tile level, one fold for the root: O(new leaves + log size),
 * independent of how many full tiles exist. That bound relies on a small memo of the edges
 * recently returned (edge-range.ts); an edge it has not seen (after a restart, or one written
 * by another process) costs up to 255 extra hashes per tile level, once.
 * Throws MerkleError when the edge does not match `size` or a leaf hash is malformed; it cannot
 * detect an edge whose bytes are wrong, which is storage's guarantee to keep.
 */
import { rootFromRangeHashes } from './compact.js';
import { MerkleError } from './errors.js';
import { HASH_SIZE } from './hash.js';
import { edgeTileRange, extendRange, rememberEdgeTileRange } from './edge-range.js';
import { MAX_UINT64, requireHash, requireUint64 } from './node.js';
import { TILE_WIDTH, tileLevelShift, type TileId } from './tile-id.js';
import { tilePath } from './tile-path.js';

export interface TileWrite {
  tile: TileId;
  /** tile.width * HASH_SIZE bytes: the tile's hashes, concatenated. */
  data: Uint8Array;
}

export interface AppendResult {
  size: bigint;
  root: Uint8Array;
  /** Every tile created or grown, full or partial, each once, in its final version. */
  tiles: TileWrite[];
  /** The right edge at the new size; unchanged edge tiles are included (as copies). */
  edge: TileWrite[];
}

const TILE_BYTES = TILE_WIDTH * HASH_SIZE;

/** The partial tiles that make up the right edge of a tree of `size`, lowest level first. */
export function edgeTileIds(size: bigint): TileId[] {
  requireUint64(size, 'invalid_size', 'size');
  const ids: TileId[] = [];
  for (let level = 0; size >> tileLevelShift(level) > 0n; level++) {
    const hashesAtLevel = size >> tileLevelShift(level);
    const width = Number(hashesAtLevel % BigInt(TILE_WIDTH));
    if (width !== 0) ids.push({ level, index: hashesAtLevel / BigInt(TILE_WIDTH), width });
  }
  return ids;
}

/** Checks that `edge` is exactly the right edge of a tree of `size`; returns data by level. */
function edgeByLevel(size: bigint, edge: readonly TileWrite[]): Map<number, Uint8Array> {
  const want = edgeTileIds(size);
  const byLevel = new Map<number, Uint8Array>();
  for (const { tile, data } of edge) {
    const id = want.find((candidate) => candidate.level === tile.level);
    if (id === undefined || id.index !== tile.index || id.width !== tile.width || byLevel.has(id.level)) {
      throw new MerkleError('invalid_input', `tile ${describeTile(tile)} is not on the right edge at size ${size}`);
    }
    if (!(data instanceof Uint8Array) || data.length !== id.width * HASH_SIZE) {
      throw new MerkleError('invalid_input', `edge tile ${tilePath(id)} needs ${id.width * HASH_SIZE} bytes`);
    }
    byLevel.set(id.level, data);
  }
  if (byLevel.size !== want.length) {
    throw new MerkleError('invalid_input', `right edge at size ${size} needs tiles ${want.map(tilePath).join(', ')}`);
  }
  return byLevel;
}

function describeTile(tile: TileId): string {
  return `${String(tile.level)}/${String(tile.index)} width ${String(tile.width)}`;
}

function rootFromCheckedEdge(size: bigint, byLevel: Map<number, Uint8Array>): Uint8Array {
  const rangeHashes: Uint8Array[] = [];
  // Higher tile levels cover the leftmost (largest) parts of the tree.
  for (const id of edgeTileIds(size).reverse()) {
    rangeHashes.push(...edgeTileRange(byLevel.get(id.level) as Uint8Array, id.width));
  }
  return rootFromRangeHashes(rangeHashes);
}

/** The root of the tree of `size` from its right edge alone. */
export function rootFromEdge(size: bigint, edge: TileWrite[]): Uint8Array {
  return rootFromCheckedEdge(size, edgeByLevel(size, edge));
}

interface GrownLevel {
  writes: TileWrite[];
  /** Roots of the tiles this level completed: the new hashes of the level above. */
  completedRoots: Uint8Array[];
}

/** Appends `incoming` hashes to one tile level that held `hashesBefore` hashes. */
function growLevel(
  level: number,
  hashesBefore: bigint,
  partial: Uint8Array | undefined,
  incoming: Uint8Array[],
): GrownLevel {
  const grown: GrownLevel = { writes: [], completedRoots: [] };
  let index = hashesBefore / BigInt(TILE_WIDTH);
  let filled = Number(hashesBefore % BigInt(TILE_WIDTH));
  let buffer = new Uint8Array(TILE_BYTES);
  // The tile's compact range, kept up to date so a completed tile's root is already at hand.
  let range: Uint8Array[] = [];
  if (partial !== undefined) {
    buffer.set(partial);
    range = [...edgeTileRange(partial, filled)];
  }
  for (const hash of incoming) {
    buffer.set(hash, filled * HASH_SIZE);
    extendRange(range, filled, hash);
    filled++;
    if (filled === TILE_WIDTH) {
      grown.writes.push({ tile: { level, index, width: TILE_WIDTH }, data: buffer });
      grown.completedRoots.push(range[0] as Uint8Array);
      index++;
      filled = 0;
      buffer = new Uint8Array(TILE_BYTES);
      range = [];
    }
  }
  if (filled > 0) {
    const data = buffer.slice(0, filled * HASH_SIZE);
    rememberEdgeTileRange(data, range);
    grown.writes.push({ tile: { level, index, width: filled }, data });
  }
  return grown;
}

/** The edge at `size`: the partial tile just written at a level, else the untouched old one. */
function edgeAfter(size: bigint, writes: readonly TileWrite[], oldEdge: Map<number, Uint8Array>): TileWrite[] {
  return edgeTileIds(size).map((id) => {
    const written = writes.find((w) => w.tile.level === id.level && w.tile.index === id.index);
    const data = written?.data ?? oldEdge.get(id.level);
    if (data === undefined || data.length !== id.width * HASH_SIZE) {
      // Unreachable unless growLevel and edgeTileIds disagree about the tree's shape.
      throw new MerkleError('invalid_input', `no data for edge tile ${tilePath(id)}`);
    }
    return written ?? { tile: id, data: new Uint8Array(data) };
  });
}

/** Appends `leafHashes` to the tree of `size` whose right edge is `edge`. */
export function appendLeaves(size: bigint, edge: TileWrite[], leafHashes: Uint8Array[]): AppendResult {
  const oldEdge = edgeByLevel(size, edge);
  leafHashes.forEach((hash, i) => requireHash(hash, `leafHashes[${i}]`));
  const newSize = size + BigInt(leafHashes.length);
  if (newSize > MAX_UINT64) throw new MerkleError('invalid_size', `tree size ${newSize} exceeds 2^64-1`);

  const tiles: TileWrite[] = [];
  let incoming = leafHashes;
  // Each completed tile's root is one new hash for the level above; stop when none carry up.
  for (let level = 0; incoming.length > 0; level++) {
    const grown = growLevel(level, size >> tileLevelShift(level), oldEdge.get(level), incoming);
    tiles.push(...grown.writes);
    incoming = grown.completedRoots;
  }
  const newEdge = edgeAfter(newSize, tiles, oldEdge);
  const root = rootFromCheckedEdge(newSize, new Map(newEdge.map((w) => [w.tile.level, w.data])));
  return { size: newSize, root, tiles, edge: newEdge };
}
