/**
 * C2SP tile paths: known paths, junk the strict parser must reject, and properties: every id
 * round-trips, and any string that parses is the canonical path of what it parses to.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MerkleError } from './errors.js';
import { MAX_UINT64 } from './node.js';
import { entriesPath, parseTilePath, tilePath } from './tile-path.js';

describe('tilePath and entriesPath', () => {
  const cases = [
    { name: 'spec example', got: () => tilePath({ level: 0, index: 1234067n, width: 256 }), want: 'tile/0/x001/x234/067' },
    { name: 'partial tile', got: () => tilePath({ level: 0, index: 1234067n, width: 5 }), want: 'tile/0/x001/x234/067.p/5' },
    { name: 'first tile', got: () => tilePath({ level: 3, index: 0n, width: 1 }), want: 'tile/3/000.p/1' },
    { name: 'index 1000', got: () => tilePath({ level: 63, index: 1000n, width: 255 }), want: 'tile/63/x001/000.p/255' },
    { name: 'largest index', got: () => tilePath({ level: 1, index: MAX_UINT64, width: 256 }), want: 'tile/1/x018/x446/x744/x073/x709/x551/615' },
    { name: 'entries bundle', got: () => entriesPath(1234067n, 256), want: 'tile/entries/x001/x234/067' },
    { name: 'partial entries bundle', got: () => entriesPath(7n, 13), want: 'tile/entries/007.p/13' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(c.got(), c.want));

  const errors = [
    { name: 'width 0', run: () => tilePath({ level: 0, index: 0n, width: 0 }) },
    { name: 'width 257', run: () => tilePath({ level: 0, index: 0n, width: 257 }) },
    { name: 'level 64', run: () => tilePath({ level: 64, index: 0n, width: 1 }) },
    { name: 'fractional level', run: () => tilePath({ level: 0.5, index: 0n, width: 1 }) },
    { name: 'negative index', run: () => entriesPath(-1n, 1) },
  ];
  for (const c of errors) {
    it(`rejects ${c.name}`, () => assert.throws(c.run, (err) => err instanceof MerkleError && err.code === 'invalid_input'));
  }
});

describe('parseTilePath', () => {
  const valid = [
    { path: 'tile/0/000', want: { level: 0, index: 0n, width: 256 } },
    { path: 'tile/2/x001/x234/067.p/5', want: { level: 2, index: 1234067n, width: 5 } },
    { path: 'tile/entries/x001/000.p/255', want: { entries: true, index: 1000n, width: 255 } },
  ];
  for (const c of valid) it(`parses ${c.path}`, () => assert.deepEqual(parseTilePath(c.path), c.want));

  const junk = [
    '', 'tile', 'tile/0', 'tile/0/', '/tile/0/000', 'tile/0/000/', 'tiles/0/000', 'tile/-1/000', 'tile/00/000',
    'tile/64/000', 'tile/1e1/000', 'tile/0/0', 'tile/0/0000', 'tile/0/1234', 'tile/0/x000/001', 'tile/0/x001',
    'tile/0/001/x001', 'tile/0/x1/001', 'tile/0/000.p/0', 'tile/0/000.p/256', 'tile/0/000.p/05', 'tile/0/000.p/',
    'tile/0/000.p', 'tile/0/000.p/5/', 'tile/0/x001.p/5', 'tile/0/000.q/5', 'tile/0/00a', 'tile/0/ 00',
    'tile/0/x018/x446/x744/x073/x709/x551/616', 'tile/0/x001/x000/x000/x000/x000/x000/x000/000',
    'tile/entries/', 'tile/entries/000.p/300', 'tile/0/000.p/+5', 'tile/0/０００',
  ];
  for (const path of junk) it(`rejects ${JSON.stringify(path)}`, () => assert.equal(parseTilePath(path), null));

  const tileId = fc.record({ level: fc.integer({ min: 0, max: 63 }), index: fc.bigInt({ min: 0n, max: MAX_UINT64 }), width: fc.integer({ min: 1, max: 256 }) });

  it('round-trips every tile id and entries id', () => {
    fc.assert(
      fc.property(tileId, (tile) => {
        assert.deepEqual(parseTilePath(tilePath(tile)), { ...tile });
        assert.deepEqual(parseTilePath(entriesPath(tile.index, tile.width)), { entries: true, index: tile.index, width: tile.width });
      }),
    );
  });

  it('accepts only canonical paths and never throws', () => {
    const pathLike = fc.array(fc.constantFrom('tile', 'entries', '0', '63', '64', 'x', '000', '001', 'x000', 'x001', '.p', '5', '255', '256', '/', '/', '/'), { maxLength: 12 }).map((parts) => parts.join(''));
    // One character inserted, deleted or replaced in a real path: the near misses that matter.
    const mutatedPath = fc
      .tuple(tileId, fc.boolean(), fc.nat(), fc.nat(2), fc.constantFrom('0', '1', '9', 'x', '/', '.', 'p'))
      .map(([tile, entries, at, edit, char]) => {
        const path = entries ? entriesPath(tile.index, tile.width) : tilePath(tile);
        const i = at % (path.length + 1);
        return path.slice(0, i) + (edit === 0 ? '' : char) + path.slice(edit === 1 ? i : i + 1);
      });
    fc.assert(
      fc.property(fc.oneof(fc.string(), pathLike, mutatedPath), (path) => {
        const parsed = parseTilePath(path);
        if (parsed === null) return;
        const canonical = 'entries' in parsed ? entriesPath(parsed.index, parsed.width) : tilePath(parsed);
        assert.equal(canonical, path);
      }),
      { numRuns: 2000 },
    );
  });
});
