/**
 * Node hashes, proofs and roots read straight from hash tiles. Tile access is a synchronous
 * callback so this stays pure: callers first fetch `tilesForPlan(...)` (or `tilesForRoot`)
 * asynchronously, then answer from memory. `getTile` may return a wider version of the
 * requested tile (its first `width` hashes are the same), never a narrower one or another tile.
 * Throws MerkleError for out-of-range requests or a misbehaving getTile.
 */
import { rootFromRangeHashes } from './compact.js';
import { MerkleError } from './errors.js';
import type { ExpandedTile } from './expanded-tile.js';
import { compactRangeNodes, type NodeId } from './node.js';
import { consistencyPlan, inclusionPlan, rehash, type ProofPlan } from './plan.js';
import { nodeInTile, tileForNode, tileKey, type TileId } from './tile-id.js';

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
  const wanted = tileForNode(node, size);
  const tile = getTile(wanted);
  const served = tile.tile;
  if (served.level !== wanted.level || served.index !== wanted.index || served.width < wanted.width) {
    throw new MerkleError(
      'invalid_input',
      `getTile returned tile ${served.level}/${served.index} width ${served.width}, ` +
        `want ${wanted.level}/${wanted.index} width >= ${wanted.width}`,
    );
  }
  const { levelInTile, indexInTile } = nodeInTile(node);
  return tile.node(levelInTile, indexInTile);
}

function proofFromTiles(plan: ProofPlan, size: bigint, getTile: GetTile): Uint8Array[] {
  return rehash(plan.nodes.map((node) => nodeHash(node, size, getTile)), plan);
}

export function inclusionProofFromTiles(index: bigint, size: bigint, getTile: GetTile): Uint8Array[] {
  return proofFromTiles(inclusionPlan(index, size), size, getTile);
}

export function consistencyProofFromTiles(size1: bigint, size2: bigint, getTile: GetTile): Uint8Array[] {
  return proofFromTiles(consistencyPlan(size1, size2), size2, getTile);
}

/** The root of the tree of `size` (EMPTY_ROOT for 0) from its compact range nodes' tiles. */
export function rootFromTiles(size: bigint, getTile: GetTile): Uint8Array {
  return rootFromRangeHashes(compactRangeNodes(size).map((node) => nodeHash(node, size, getTile)));
}
