/**
 * rekor-ts/merkle: RFC 6962 / RFC 9162 Merkle trees for transparency logs. Pure (no I/O),
 * Uint8Array hashes, bigint sizes and indices (uint64). Hashing, proof planning and
 * verification, compact ranges, and C2SP tlog-tiles (height 8): paths, proofs from tiles and
 * the append step that produces tiles. Every failure is a MerkleError with a typed `code`.
 */
export { MerkleError, isMerkleError, type MerkleErrorCode } from './errors.js';
export { HASH_SIZE, EMPTY_ROOT, hashLeaf, hashChildren } from './hash.js';
export { MAX_UINT64, compactRangeNodes, rangeNodes, type NodeId } from './node.js';
export { inclusionPlan, consistencyPlan, rehash, type ProofPlan } from './plan.js';
export { rootFromInclusionProof, verifyInclusion, verifyConsistency } from './verify.js';
export { CompactRange, rootFromRangeHashes } from './compact.js';
export { TILE_HEIGHT, TILE_WIDTH, MAX_TILE_LEVEL, tileForNode, tileWidthAt, tileKey, type TileId } from './tile-id.js';
export { tilePath, entriesPath, parseTilePath, type EntriesTileId } from './tile-path.js';
export { ExpandedTile } from './expanded-tile.js';
export {
  nodeHash,
  tilesForPlan,
  tilesForRoot,
  inclusionProofFromTiles,
  inclusionTiles,
  consistencyProofFromTiles,
  rootFromTiles,
  RightBorder,
  type GetTile,
} from './tile-proof.js';
export { appendLeaves, rootFromEdge, edgeTileIds, type TileWrite, type AppendResult } from './append.js';
