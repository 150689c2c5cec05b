/**
 * Node hashes, proofs and roots read straight from hash tiles. Tile access is a synchronous
 * callback so this stays pure: callers first fetch `tilesForPlan(...)` (or `tilesForRoot`)
 * asynchronously, then answer from memory. `getTile` may return a wider version of the
 * requested tile (its first `width` hashes are the same), never a narrower one or another tile.
 * Throws MerkleError for out-of-range requests or a misbehaving getTile.
 */
import { rootFromRangeHashes } from './compact.js';
import { MerkleError } from './errors.js';
import { hashChildren } from './hash.js';
import type { ExpandedTile } from './expanded-tile.js';
import { compactRangeNodes, rangeNodes, type NodeId } from './node.js';
import { consistencyPlan, inclusionPlan, rehash, type ProofPlan } from './plan.js';
import { TILE_HEIGHT, TILE_WIDTH, nodeInTile, tileForNode, tileKey, type TileId } from './tile-id.js';

export type GetTile = (tile: TileId) => ExpandedTile;

/** Every tile (at its width in a tree of `size`) that the nodes of `plan` come from, once each. */
export function tilesForPlan(plan: ProofPlan, size: bigint): TileId[] {
  return tilesForNodes(plan.nodes, size);
}

/** Every tile needed by rootFromTiles(size). */
export function tilesForRoot(size: bigint): TileId[] {
  return tilesForNodes(compactRangeNodes(size), size);
}

function tilesForNodes(nodes: readonly NodeId[], size: bigint): TileId[] {
  const tiles = new Map<string, TileId>();
  for (const node of nodes) {
    const tile = tileForNode(node, size);
    tiles.set(tileKey(tile), tile);
  }
  return [...tiles.values()];
}

/** The hash of a complete node of the tree of `size`, read or derived from its tile. */
export function nodeHash(node: NodeId, size: bigint, getTile: GetTile): Uint8Array {
  const { levelInTile, indexInTile } = nodeInTile(node);
  return servedTile(getTile, tileForNode(node, size)).node(levelInTile, indexInTile);
}

/** getTile(wanted), refused unless it is that tile at that width or wider. */
function servedTile(getTile: GetTile, wanted: TileId): ExpandedTile {
  const tile = getTile(wanted);
  const served = tile.tile;
  if (served.level !== wanted.level || served.index !== wanted.index || served.width < wanted.width) {
    throw new MerkleError(
      'invalid_input',
      `getTile returned tile ${served.level}/${served.index} width ${served.width}, ` +
        `want ${wanted.level}/${wanted.index} width >= ${wanted.width}`,
    );
  }
  return tile;
}

/**
 * The ephemeral hashes of one tree size: the roots of its incomplete right-border subtrees
 * [start, size). Every proof against that size whose path leaves the border at the same place
 * carries the same one, so a server answering many proofs against one head folds each once
 * instead of once per proof. At most 64 per size; hand a new one to proofs for a new size.
 */
export class RightBorder {
  readonly #roots = new Map<bigint, Uint8Array>();

  constructor(readonly size: bigint) {}

  has(start: bigint): boolean {
    return this.#roots.has(start);
  }

  /** The root of [start, size), folded from its perfect subtrees the first time it is asked for. */
  rangeRoot(start: bigint, hashOf: (node: NodeId) => Uint8Array): Uint8Array {
    let root = this.#roots.get(start);
    if (root === undefined) {
      const nodes = rangeNodes(start, this.size);
      root = hashOf(nodes[nodes.length - 1] as NodeId);
      for (let i = nodes.length - 2; i >= 0; i--) root = hashChildren(hashOf(nodes[i] as NodeId), root);
      this.#roots.set(start, root);
    }
    return new Uint8Array(root);
  }
}

function proofFromTiles(plan: ProofPlan, size: bigint, getTile: GetTile, border?: RightBorder): Uint8Array[] {
  if (border === undefined || plan.begin === plan.end) {
    return rehash(plan.nodes.map((node) => nodeHash(node, size, getTile)), plan);
  }
  requireBorder(border, size);
  const hashOf = (node: NodeId): Uint8Array => nodeHash(node, size, getTile);
  const proof: Uint8Array[] = [];
  for (let i = 0; i < plan.begin; i++) proof.push(hashOf(plan.nodes[i] as NodeId));
  // The block lists rangeNodes(start, size) right to left, so its last node begins at start.
  const leftmost = plan.nodes[plan.end - 1] as NodeId;
  proof.push(border.rangeRoot(leftmost.index << BigInt(leftmost.level), hashOf));
  for (let i = plan.end; i < plan.nodes.length; i++) proof.push(hashOf(plan.nodes[i] as NodeId));
  return proof;
}

function requireBorder(border: RightBorder, size: bigint): void {
  if (border.size !== size) {
    throw new MerkleError('invalid_input', `right border of tree size ${border.size} used for a proof in a tree of size ${size}`);
  }
}

/**
 * Inclusion proofs are what a log serves most, so trees below 2^53 leaves take a path in plain
 * numbers instead of a bigint plan. Level by level from the leaf, the proof holds the sibling
 * of the leaf's ancestor when that sibling is complete, the root of [sibling start, size) when
 * the sibling is the tree's incomplete right border (at most once), and nothing when the
 * ancestor has no sibling. Larger trees and invalid arguments take the plan, which also throws.
 */
const FAST_LIMIT = BigInt(Number.MAX_SAFE_INTEGER);

function fastInclusion(index: bigint, size: bigint): boolean {
  return index >= 0n && index < size && size <= FAST_LIMIT;
}

/** Calls `complete` for each complete sibling and `ephemeral` where the border root goes, in proof order. */
function walkInclusion(i: number, n: number, complete: (level: number, index: number) => void, ephemeral: (start: number) => void): void {
  for (let level = 0, span = 1; span < n; level++, span *= 2) {
    const ancestor = Math.floor(i / span);
    const sibling = ancestor % 2 === 0 ? ancestor + 1 : ancestor - 1;
    const start = sibling * span;
    if (start + span <= n) complete(level, sibling);
    else if (start < n) ephemeral(start);
  }
}

/** The tile holding the complete node (level, index) of a tree of n leaves, and its place in it. */
function tileOfNode(level: number, index: number, n: number): { tile: TileId; levelInTile: number; indexInTile: number } {
  const tileLevel = Math.floor(level / TILE_HEIGHT);
  const levelInTile = level % TILE_HEIGHT;
  const perTile = TILE_WIDTH >> levelInTile;
  const tileIndex = Math.floor(index / perTile);
  const hashesAtLevel = Math.floor(n / 2 ** (TILE_HEIGHT * tileLevel));
  const width = Math.min(TILE_WIDTH, hashesAtLevel - tileIndex * TILE_WIDTH);
  return { tile: { level: tileLevel, index: BigInt(tileIndex), width }, levelInTile, indexInTile: index - tileIndex * perTile };
}

/**
 * Every tile the inclusion proof of `index` in `size` reads. With a `border` that already holds
 * the proof's ephemeral hash, the border's tiles are left out.
 */
export function inclusionTiles(index: bigint, size: bigint, border?: RightBorder): TileId[] {
  if (!fastInclusion(index, size)) return tilesForPlan(inclusionPlan(index, size), size);
  const n = Number(size);
  const tiles = new Map<string, TileId>();
  let ephemeralStart: number | undefined;
  walkInclusion(
    Number(index),
    n,
    (level, nodeIndex) => {
      const { tile } = tileOfNode(level, nodeIndex, n);
      tiles.set(tileKey(tile), tile);
    },
    (start) => (ephemeralStart = start),
  );
  if (ephemeralStart !== undefined && (border === undefined || border.size !== size || !border.has(BigInt(ephemeralStart)))) {
    for (const node of rangeNodes(BigInt(ephemeralStart), size)) {
      const tile = tileForNode(node, size);
      tiles.set(tileKey(tile), tile);
    }
  }
  return [...tiles.values()];
}

/** The inclusion proof of `index` in the tree of `size`; `border` (for `size`) memoizes the ephemeral hash. */
export function inclusionProofFromTiles(index: bigint, size: bigint, getTile: GetTile, border?: RightBorder): Uint8Array[] {
  if (!fastInclusion(index, size)) return proofFromTiles(inclusionPlan(index, size), size, getTile, border);
  if (border !== undefined) requireBorder(border, size);
  const n = Number(size);
  const proof: Uint8Array[] = [];
  const hashOf = (node: NodeId): Uint8Array => nodeHash(node, size, getTile);
  walkInclusion(
    Number(index),
    n,
    (level, nodeIndex) => {
      const { tile, levelInTile, indexInTile } = tileOfNode(level, nodeIndex, n);
      proof.push(servedTile(getTile, tile).node(levelInTile, indexInTile));
    },
    (start) => {
      const at = BigInt(start);
      proof.push((border ?? new RightBorder(size)).rangeRoot(at, hashOf));
    },
  );
  return proof;
}

export function consistencyProofFromTiles(size1: bigint, size2: bigint, getTile: GetTile, border?: RightBorder): Uint8Array[] {
  return proofFromTiles(consistencyPlan(size1, size2), size2, getTile, border);
}

/** The root of the tree of `size` (EMPTY_ROOT for 0) from its compact range nodes' tiles. */
export function rootFromTiles(size: bigint, getTile: GetTile): Uint8Array {
  return rootFromRangeHashes(compactRangeNodes(size).map((node) => nodeHash(node, size, getTile)));
}
