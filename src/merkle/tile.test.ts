/**
 * Tiles as a proof source: which tile holds a node, expanded tiles, and properties over trees
 * appended in random batches: proofs and roots read from tiles equal the reference, both from
 * a store holding exactly the tiles of that size and from one holding wider versions, and
 * getTile is only ever asked for tiles that tilesForPlan / tilesForRoot announced.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MerkleError } from './errors.js';
import { ExpandedTile } from './expanded-tile.js';
import { consistencyPlan, inclusionPlan } from './plan.js';
import { appendInBatches, makeLeafHashes, referenceTree, type MemoryTileStore } from './testonly.js';
import { tileForNode, tileKey, type TileId } from './tile-id.js';
import {
  consistencyProofFromTiles,
  inclusionProofFromTiles,
  inclusionTiles,
  nodeHash,
  rootFromTiles,
  RightBorder,
  tilesForPlan,
  tilesForRoot,
} from './tile-proof.js';
import { verifyConsistency, verifyInclusion } from './verify.js';

const leaves = makeLeafHashes(3000);
const ref = referenceTree(leaves);
const isCode = (code: string) => (err: unknown) => err instanceof MerkleError && err.code === code;

describe('tileForNode', () => {
  const cases: { name: string; level: number; index: bigint; size: bigint; want: TileId }[] = [
    { name: 'the only leaf', level: 0, index: 0n, size: 1n, want: { level: 0, index: 0n, width: 1 } },
    { name: 'last leaf of a full tile', level: 0, index: 255n, size: 256n, want: { level: 0, index: 0n, width: 256 } },
    { name: 'inner node of a full tile', level: 3, index: 5n, size: 300n, want: { level: 0, index: 0n, width: 256 } },
    { name: 'level 7 is still inside the level-0 tile', level: 7, index: 1n, size: 300n, want: { level: 0, index: 0n, width: 256 } },
    { name: 'level 8 is stored in the level-1 tile', level: 8, index: 0n, size: 300n, want: { level: 0 + 1, index: 0n, width: 1 } },
    { name: 'leaf in the partial tile', level: 0, index: 299n, size: 300n, want: { level: 0, index: 1n, width: 44 } },
    { name: 'level 9 derived in a level-1 tile', level: 9, index: 0n, size: 1024n, want: { level: 1, index: 0n, width: 4 } },
    { name: 'level 16 in a level-2 tile', level: 16, index: 0n, size: 65536n, want: { level: 2, index: 0n, width: 1 } },
    { name: 'high tile index', level: 0, index: 70000n, size: 70001n, want: { level: 0, index: 273n, width: 113 } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(tileForNode({ level: c.level, index: c.index }, c.size), c.want));

  it('rejects a node not complete in the tree', () => {
    assert.throws(() => tileForNode({ level: 0, index: 5n }, 5n), isCode('invalid_index'));
    assert.throws(() => tileForNode({ level: 1, index: 2n }, 5n), isCode('invalid_index'));
    assert.throws(() => tileForNode({ level: -1, index: 0n }, 5n), isCode('invalid_input'));
  });
});

describe('ExpandedTile', () => {
  const data = Buffer.concat(leaves.slice(0, 256));

  it('derives every internal node of a full tile', () => {
    const tile = new ExpandedTile({ level: 0, index: 0n, width: 256 }, data);
    for (let level = 0; level <= 8; level++) {
      for (let index = 0; index < 256 >> level; index++) assert.deepEqual(tile.node(level, index), ref.node(level, index));
    }
  });

  it('has only the complete nodes of a partial tile', () => {
    const tile = new ExpandedTile({ level: 0, index: 0n, width: 5 }, data.subarray(0, 5 * 32));
    assert.deepEqual(tile.node(2, 0), ref.node(2, 0));
    assert.deepEqual(tile.node(0, 4), leaves[4]);
    assert.throws(() => tile.node(1, 2), isCode('invalid_index'));
    assert.throws(() => tile.node(3, 0), isCode('invalid_index'));
    assert.throws(() => tile.node(0, 5), isCode('invalid_index'));
    assert.throws(() => tile.node(0, -1), isCode('invalid_index'));
  });

  it('is immune to later changes of its input and of returned hashes', () => {
    const input = new Uint8Array(data.subarray(0, 64));
    const tile = new ExpandedTile({ level: 0, index: 0n, width: 2 }, input);
    input.fill(0);
    tile.node(1, 0).fill(0);
    assert.deepEqual(tile.node(1, 0), ref.node(1, 0));
  });

  const errors: { name: string; tile: TileId; bytes: number }[] = [
    { name: 'data shorter than the width', tile: { level: 0, index: 0n, width: 3 }, bytes: 64 },
    { name: 'data longer than the width', tile: { level: 0, index: 0n, width: 1 }, bytes: 64 },
    { name: 'width 0', tile: { level: 0, index: 0n, width: 0 }, bytes: 0 },
    { name: 'width 257', tile: { level: 0, index: 0n, width: 257 }, bytes: 257 * 32 },
    { name: 'level 64', tile: { level: 64, index: 0n, width: 1 }, bytes: 32 },
  ];
  for (const c of errors) {
    it(`rejects ${c.name}`, () => assert.throws(() => new ExpandedTile(c.tile, new Uint8Array(c.bytes)), isCode('invalid_input')));
  }
});

/** getTile that fails the test if asked for a tile outside `allowed` or at another width. */
function strictGetTile(store: MemoryTileStore, allowed: TileId[]) {
  const widths = new Map(allowed.map((tile) => [tileKey(tile), tile.width]));
  return (tile: TileId) => {
    assert.equal(widths.get(tileKey(tile)), tile.width, `unplanned tile ${tileKey(tile)} width ${tile.width}`);
    return store.getTile(tile);
  };
}

describe('proofs from tiles', () => {
  const batches = fc.array(fc.integer({ min: 0, max: 600 }), { maxLength: 8 });
  const tree = fc.tuple(fc.integer({ min: 1, max: leaves.length }), batches).chain(([grown, split]) =>
    fc.record({ grown: fc.constant(grown), split: fc.constant(split), size: fc.integer({ min: 1, max: grown }), pick: fc.nat(), other: fc.nat() }),
  );

  it('equal the reference and verify, from exact and from wider tiles', () => {
    fc.assert(
      fc.property(tree, ({ grown, split, size, pick, other }) => {
        const wider = appendInBatches(leaves.slice(0, grown), split).store;
        const exact = appendInBatches(leaves.slice(0, size), []).store;
        const index = pick % size;
        const size1 = 1 + (other % size);
        const root = ref.root(size);
        for (const store of [wider, exact]) {
          const inclusion = inclusionProofFromTiles(BigInt(index), BigInt(size), strictGetTile(store, tilesForPlan(inclusionPlan(BigInt(index), BigInt(size)), BigInt(size))));
          assert.deepEqual(inclusion, ref.inclusion(index, size));
          verifyInclusion(leaves[index] as Uint8Array, BigInt(index), BigInt(size), inclusion, root);

          const planned = tilesForPlan(consistencyPlan(BigInt(size1), BigInt(size)), BigInt(size));
          const consistency = consistencyProofFromTiles(BigInt(size1), BigInt(size), strictGetTile(store, planned));
          assert.deepEqual(consistency, ref.consistency(size1, size));
          verifyConsistency(BigInt(size1), BigInt(size), consistency, ref.root(size1), root);

          assert.deepEqual(rootFromTiles(BigInt(size), strictGetTile(store, tilesForRoot(BigInt(size)))), root);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('with a shared RightBorder, every proof against one size equals the reference', () => {
    for (const size of [1, 2, 255, 256, 257, 1000, 2999]) {
      const store = appendInBatches(leaves.slice(0, size), [7, 300]).store;
      const border = new RightBorder(BigInt(size));
      const getTile = (tile: TileId) => store.getTile(tile);
      // Twice over: the first pass fills the border, the second answers from it.
      for (let pass = 0; pass < 2; pass++) {
        for (let index = 0; index < size; index += size > 300 ? 37 : 1) {
          assert.deepEqual(inclusionProofFromTiles(BigInt(index), BigInt(size), getTile, border), ref.inclusion(index, size));
        }
        for (let size1 = 1; size1 <= size; size1 += size > 300 ? 41 : 1) {
          assert.deepEqual(consistencyProofFromTiles(BigInt(size1), BigInt(size), getTile, border), ref.consistency(size1, size));
        }
      }
    }
  });

  it('inclusionTiles lists the tiles of the plan, and leaves out the border tiles once the border holds its hash', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: leaves.length }), fc.nat(), (size, pick) => {
        const index = BigInt(pick % size);
        const n = BigInt(size);
        const planned = tilesForPlan(inclusionPlan(index, n), n);
        const listed = inclusionTiles(index, n);
        assert.deepEqual(new Set(listed.map((t) => `${tileKey(t)}.${t.width}`)), new Set(planned.map((t) => `${tileKey(t)}.${t.width}`)));
        const store = appendInBatches(leaves.slice(0, size), []).store;
        const border = new RightBorder(n);
        inclusionProofFromTiles(index, n, strictGetTile(store, listed), border);
        const fewer = inclusionTiles(index, n, border);
        assert.deepEqual(inclusionProofFromTiles(index, n, strictGetTile(store, fewer), border), ref.inclusion(Number(index), size));
      }),
      { numRuns: 200 },
    );
    // Beyond 2^53 leaves the bigint plan answers.
    const huge = 2n ** 60n + 12345n;
    assert.deepEqual(inclusionTiles(2n ** 59n, huge), tilesForPlan(inclusionPlan(2n ** 59n, huge), huge));
  });

  it('refuses a RightBorder of another size', () => {
    const store = appendInBatches(leaves.slice(0, 1000), []).store;
    const getTile = (tile: TileId) => store.getTile(tile);
    assert.throws(() => inclusionProofFromTiles(5n, 1000n, getTile, new RightBorder(999n)), MerkleError);
  });

  it('tilesForPlan lists each tile once', () => {
    const plan = inclusionPlan(1000n, 2999n);
    const tiles = tilesForPlan(plan, 2999n);
    assert.equal(new Set(tiles.map(tileKey)).size, tiles.length);
    assert.ok(tiles.length < plan.nodes.length);
  });

  it('rootFromTiles of the empty tree needs no tiles', () => {
    assert.deepEqual(tilesForRoot(0n), []);
    assert.deepEqual(rootFromTiles(0n, () => assert.fail('no tile needed')), ref.root(0));
  });

  it('rejects a getTile that serves another or a narrower tile', () => {
    const { store } = appendInBatches(leaves.slice(0, 600), []);
    const node = { level: 0, index: 300n };
    const narrower = (t: TileId) => new ExpandedTile({ ...t, width: t.width - 1 }, new Uint8Array((t.width - 1) * 32));
    const another = (t: TileId) => store.getTile({ ...t, index: t.index + 1n, width: 1 });
    assert.throws(() => nodeHash(node, 600n, narrower), isCode('invalid_input'));
    assert.throws(() => nodeHash(node, 600n, another), isCode('invalid_input'));
    assert.deepEqual(nodeHash(node, 600n, store.getTile), leaves[300]);
  });
});
