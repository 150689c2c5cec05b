/**
 * Appending: for random batch splits the tiles, edge and root equal those of one batch and the
 * reference node hashes; boundary sizes (0, 255/256, 65536, 2^64-1); malformed edges rejected.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { appendLeaves, edgeTileIds, rootFromEdge, type AppendResult, type TileWrite } from './append.js';
import { CompactRange } from './compact.js';
import { MerkleError } from './errors.js';
import { MAX_UINT64 } from './node.js';
import { appendInBatches, hex, makeLeafHashes, referenceTree } from './testonly.js';
import { tileKey, type TileId } from './tile-id.js';
import { tilePath } from './tile-path.js';

const leaves = makeLeafHashes(3000);
const ref = referenceTree(leaves);
const isCode = (code: string) => (err: unknown) => err instanceof MerkleError && err.code === code;
const tileIds = (writes: TileWrite[]): string[] => writes.map((w) => tilePath(w.tile));

/** Every hash of the tile equals the reference node it stands for. */
function assertTileMatchesReference({ tile, data }: TileWrite): void {
  assert.equal(data.length, tile.width * 32);
  for (let i = 0; i < tile.width; i++) {
    const want = ref.node(8 * tile.level, Number(tile.index) * 256 + i);
    assert.equal(hex(data.subarray(i * 32, i * 32 + 32)), hex(want), `${tilePath(tile)} hash ${i}`);
  }
}

describe('appendLeaves in random batches', () => {
  const splits = fc.array(fc.integer({ min: 0, max: 700 }), { maxLength: 10 });

  it('gives the tiles, edge and root of one batch, matching the reference', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: leaves.length }), splits, (size, split) => {
        const whole = appendLeaves(0n, [], leaves.slice(0, size));
        const { store, result } = appendInBatches(leaves.slice(0, size), split);
        assert.equal(result.size, BigInt(size));
        assert.deepEqual(result.root, ref.root(size));
        assert.deepEqual(whole.root, ref.root(size));
        assert.deepEqual(result.edge, whole.edge);
        assert.deepEqual(result.edge.map((w) => w.tile), edgeTileIds(BigInt(size)));
        for (const write of whole.tiles) {
          assertTileMatchesReference(write);
          assert.equal(hex(store.data(write.tile) ?? new Uint8Array()), hex(write.data), tilePath(write.tile));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('writes each grown tile once, and every intermediate root is right', () => {
    // `reread` passes the edge as fresh copies, as if read back from storage.
    const batch = fc.record({ count: fc.integer({ min: 0, max: 300 }), reread: fc.boolean() });
    fc.assert(
      fc.property(fc.array(batch, { minLength: 1, maxLength: 10 }), (batches) => {
        let state: AppendResult = appendLeaves(0n, [], []);
        for (const { count, reread } of batches) {
          const from = Number(state.size);
          const batch = leaves.slice(from, from + count);
          const edge = reread ? state.edge.map((w) => ({ tile: { ...w.tile }, data: new Uint8Array(w.data) })) : state.edge;
          state = appendLeaves(state.size, edge, batch);
          assert.deepEqual(state.root, ref.root(from + batch.length));
          assert.equal(new Set(state.tiles.map((w) => tileKey(w.tile))).size, state.tiles.length);
          state.tiles.forEach(assertTileMatchesReference);
          assert.equal(state.tiles.length === 0, batch.length === 0);
        }
      }),
    );
  });
});

describe('appendLeaves with an edge changed in place', () => {
  it('uses the bytes it is given, not what it returned before', () => {
    const first = appendLeaves(0n, [], leaves.slice(0, 700));
    const forged = first.edge.map((w) => ({ tile: w.tile, data: new Uint8Array(w.data) }));
    for (const w of [...first.edge, ...forged]) (w.data[0] as number) ^= 1;
    const fromForged = appendLeaves(700n, forged, [leaves[700] as Uint8Array]);
    assert.notDeepEqual(fromForged.root, ref.root(701));
    assert.deepEqual(appendLeaves(700n, first.edge, [leaves[700] as Uint8Array]).root, fromForged.root);
    assert.deepEqual(rootFromEdge(700n, first.edge), rootFromEdge(700n, forged));
  });
});

describe('appendLeaves at boundaries', () => {
  it('empty tree, empty batch', () => {
    assert.deepEqual(appendLeaves(0n, [], []), { size: 0n, root: ref.root(0), tiles: [], edge: [] });
  });

  it('empty batch keeps the edge and writes nothing', () => {
    const at300 = appendLeaves(0n, [], leaves.slice(0, 300));
    const again = appendLeaves(300n, at300.edge, []);
    assert.deepEqual(again, { ...at300, tiles: [] });
  });

  const cases: { name: string; from: number; count: number; tiles: string[]; edge: string[] }[] = [
    { name: 'first leaf', from: 0, count: 1, tiles: ['tile/0/000.p/1'], edge: ['tile/0/000.p/1'] },
    { name: 'completing the first tile', from: 255, count: 1, tiles: ['tile/0/000', 'tile/1/000.p/1'], edge: ['tile/1/000.p/1'] },
    { name: 'one past a full tile', from: 256, count: 1, tiles: ['tile/0/001.p/1'], edge: ['tile/0/001.p/1', 'tile/1/000.p/1'] },
    {
      name: 'one batch crossing three tile boundaries',
      from: 0,
      count: 1000,
      tiles: ['tile/0/000', 'tile/0/001', 'tile/0/002', 'tile/0/003.p/232', 'tile/1/000.p/3'],
      edge: ['tile/0/003.p/232', 'tile/1/000.p/3'],
    },
    { name: 'crossing from a partial tile', from: 250, count: 270, tiles: ['tile/0/000', 'tile/0/001', 'tile/0/002.p/8', 'tile/1/000.p/2'], edge: ['tile/0/002.p/8', 'tile/1/000.p/2'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const before = appendLeaves(0n, [], leaves.slice(0, c.from));
      const after = appendLeaves(before.size, before.edge, leaves.slice(c.from, c.from + c.count));
      assert.deepEqual(tileIds(after.tiles), c.tiles);
      assert.deepEqual(tileIds(after.edge), c.edge);
      assert.deepEqual(after.root, ref.root(c.from + c.count));
    });
  }

  it('crossing 256^2 fills a level-1 tile and starts level 2', () => {
    const many = makeLeafHashes(65536 + 10);
    const range = CompactRange.empty();
    many.forEach((leaf) => range.append(leaf));
    const before = appendLeaves(0n, [], many.slice(0, 65530));
    const after = appendLeaves(before.size, before.edge, many.slice(65530));
    assert.deepEqual(tileIds(after.tiles), ['tile/0/255', 'tile/0/256.p/10', 'tile/1/000', 'tile/2/000.p/1']);
    assert.deepEqual(tileIds(after.edge), ['tile/0/256.p/10', 'tile/2/000.p/1']);
    assert.deepEqual(after.root, range.root());
  });

  it('reaches 2^64-1 and refuses to go past it', () => {
    // Arbitrary bytes stand in for the edge: only shapes and arithmetic are under test.
    const fakeEdge = (size: bigint) => edgeTileIds(size).map((tile) => ({ tile, data: new Uint8Array(tile.width * 32).fill(7) }));
    const full = appendLeaves(MAX_UINT64 - 1n, fakeEdge(MAX_UINT64 - 1n), [leaves[0] as Uint8Array]);
    assert.equal(full.size, MAX_UINT64);
    assert.deepEqual(full.edge.map((w) => w.tile.width), [255, 255, 255, 255, 255, 255, 255, 255]);
    assert.throws(() => appendLeaves(full.size, full.edge, [leaves[0] as Uint8Array]), isCode('invalid_size'));
  });
});

describe('edgeTileIds and rootFromEdge', () => {
  const cases: { size: bigint; want: TileId[] }[] = [
    { size: 0n, want: [] },
    { size: 1n, want: [{ level: 0, index: 0n, width: 1 }] },
    { size: 256n, want: [{ level: 1, index: 0n, width: 1 }] },
    // The C2SP example: 273 full level-0 tiles, then partial tiles of width 112, 17 and 1.
    { size: 70000n, want: [{ level: 0, index: 273n, width: 112 }, { level: 1, index: 1n, width: 17 }, { level: 2, index: 0n, width: 1 }] },
    { size: 256n ** 3n, want: [{ level: 3, index: 0n, width: 1 }] },
  ];
  for (const c of cases) it(`edge at size ${c.size}`, () => assert.deepEqual(edgeTileIds(c.size), c.want));

  it('rootFromEdge equals the reference root', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: leaves.length }), (size) => {
        const { edge } = appendLeaves(0n, [], leaves.slice(0, size));
        assert.deepEqual(rootFromEdge(BigInt(size), [...edge].reverse()), ref.root(size));
      }),
    );
  });

  const at600 = appendLeaves(0n, [], leaves.slice(0, 600));
  const [level0, level1] = at600.edge as [TileWrite, TileWrite];
  const errors: { name: string; edge: TileWrite[]; leaves?: Uint8Array[]; wantErr: string }[] = [
    { name: 'a missing edge tile', edge: [level0], wantErr: 'invalid_input' },
    { name: 'a duplicated edge tile', edge: [level0, level1, level0], wantErr: 'invalid_input' },
    { name: 'a tile of the wrong width', edge: [{ ...level0, tile: { ...level0.tile, width: 87 } }, level1], wantErr: 'invalid_input' },
    { name: 'a tile of the wrong index', edge: [{ ...level0, tile: { ...level0.tile, index: 1n } }, level1], wantErr: 'invalid_input' },
    { name: 'data of the wrong length', edge: [{ ...level0, data: level0.data.subarray(32) }, level1], wantErr: 'invalid_input' },
    { name: 'a short leaf hash', edge: [level0, level1], leaves: [new Uint8Array(31)], wantErr: 'invalid_hash' },
  ];
  for (const c of errors) {
    it(`rejects ${c.name}`, () => {
      assert.throws(() => appendLeaves(600n, c.edge, c.leaves ?? []), isCode(c.wantErr));
      if (c.leaves === undefined) assert.throws(() => rootFromEdge(600n, c.edge), isCode(c.wantErr));
    });
  }
});
