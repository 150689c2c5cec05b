/**
 * Hashing constants and compact ranges: RFC 6962 hash values, and for random sizes the compact
 * range's root and node hashes equal the reference; ranges survive a fromNodes round trip and
 * keep their state private.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CompactRange, compactRangeNodes } from './compact.js';
import { MerkleError } from './errors.js';
import { EMPTY_ROOT, hashChildren, hashLeaf } from './hash.js';
import { MAX_UINT64 } from './node.js';
import { hex, makeLeafHashes, referenceTree } from './testonly.js';

const leaves = makeLeafHashes(3000);
const ref = referenceTree(leaves);

function rangeOf(size: number): CompactRange {
  const range = CompactRange.empty();
  leaves.slice(0, size).forEach((leaf) => range.append(leaf));
  return range;
}

describe('hash', () => {
  const cases = [
    { name: 'empty root is SHA-256("")', got: () => EMPTY_ROOT, want: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
    { name: 'leaf hash of the empty entry', got: () => hashLeaf(new Uint8Array()), want: '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d' },
    {
      name: 'node hash of the first two reference leaves',
      got: () => hashChildren(hashLeaf(new Uint8Array()), hashLeaf(new Uint8Array([0]))),
      want: 'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    },
  ];
  for (const c of cases) it(c.name, () => assert.equal(hex(c.got()), c.want));
});

describe('CompactRange', () => {
  it('root and nodes equal the reference for random sizes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: leaves.length }), (size) => {
        const range = rangeOf(size);
        assert.equal(range.size, BigInt(size));
        assert.deepEqual(range.root(), ref.root(size));
        assert.deepEqual(range.nodes(), compactRangeNodes(BigInt(size)));
        assert.deepEqual(range.hashes(), range.nodes().map((n) => ref.node(n.level, Number(n.index))));
      }),
    );
  });

  it('continues from fromNodes as if never interrupted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 1000 }), (size, more) => {
        const range = CompactRange.fromNodes(BigInt(size), rangeOf(size).hashes());
        leaves.slice(size, size + more).forEach((leaf) => range.append(leaf));
        assert.deepEqual(range.root(), ref.root(size + more));
      }),
    );
  });

  it('does not share state with its callers', () => {
    const hashes = rangeOf(5).hashes();
    const range = CompactRange.fromNodes(5n, hashes);
    (hashes[0] as Uint8Array).fill(0);
    (range.hashes()[1] as Uint8Array).fill(0);
    range.root().fill(0);
    assert.deepEqual(range.root(), ref.root(5));
    CompactRange.empty().root().fill(0);
    assert.equal(hex(CompactRange.empty().root()), hex(ref.root(0)));
  });

  it('compactRangeNodes of 2^64-1 has 64 nodes, largest first', () => {
    const nodes = compactRangeNodes(MAX_UINT64);
    assert.equal(nodes.length, 64);
    assert.deepEqual(nodes[0], { level: 63, index: 0n });
    assert.deepEqual(nodes[63], { level: 0, index: MAX_UINT64 - 1n });
  });

  const errors: { name: string; run: () => unknown; wantErr: string }[] = [
    { name: 'fromNodes with too few hashes', run: () => CompactRange.fromNodes(3n, [leaves[0] as Uint8Array]), wantErr: 'invalid_input' },
    { name: 'fromNodes with a short hash', run: () => CompactRange.fromNodes(1n, [new Uint8Array(31)]), wantErr: 'invalid_hash' },
    { name: 'fromNodes with a negative size', run: () => CompactRange.fromNodes(-1n, []), wantErr: 'invalid_size' },
    { name: 'append a short leaf hash', run: () => CompactRange.empty().append(new Uint8Array(33)), wantErr: 'invalid_hash' },
    { name: 'append past 2^64-1', run: () => CompactRange.fromNodes(MAX_UINT64, compactRangeNodes(MAX_UINT64).map(() => new Uint8Array(32))).append(new Uint8Array(32)), wantErr: 'invalid_size' },
  ];
  for (const c of errors) {
    it(c.name, () => assert.throws(c.run, (err) => err instanceof MerkleError && err.code === c.wantErr));
  }
});
