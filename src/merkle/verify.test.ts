/**
 * Verification: table tests for each error code and the order of checks, and properties
 * against the RFC 6962 reference: every reference proof verifies, and any one-bit change to a
 * proof hash, the leaf or a root fails with root_mismatch.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MerkleError, type MerkleErrorCode } from './errors.js';
import { MAX_UINT64 } from './node.js';
import { makeLeafHashes, referenceTree } from './testonly.js';
import { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './verify.js';

const leaves = makeLeafHashes(3000);
const ref = referenceTree(leaves);
const zeros = (length: number): Uint8Array => new Uint8Array(length);

function codeOf(run: () => unknown): MerkleErrorCode | 'ok' {
  try {
    run();
    return 'ok';
  } catch (err) {
    if (err instanceof MerkleError) return err.code;
    throw err;
  }
}

function flipBit(hashes: Uint8Array[], which: number, bit: number): Uint8Array[] {
  return hashes.map((hash, i) => {
    if (i !== which) return hash;
    const copy = new Uint8Array(hash);
    copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
    return copy;
  });
}

describe('verifyInclusion errors', () => {
  const proof5 = ref.inclusion(2, 5);
  const cases: { name: string; index: bigint; size: bigint; leaf?: Uint8Array; proof?: Uint8Array[]; root?: Uint8Array; want: MerkleErrorCode | 'ok' }[] = [
    { name: 'happy path', index: 2n, size: 5n, want: 'ok' },
    { name: 'index equals size', index: 5n, size: 5n, want: 'invalid_index' },
    { name: 'negative index', index: -1n, size: 5n, want: 'invalid_index' },
    { name: 'size above uint64', index: 0n, size: MAX_UINT64 + 1n, want: 'invalid_size' },
    { name: 'size 0', index: 0n, size: 0n, want: 'invalid_index' },
    { name: 'short leaf hash', index: 2n, size: 5n, leaf: zeros(31), want: 'invalid_hash' },
    { name: 'index checked before leaf hash', index: 9n, size: 5n, leaf: zeros(31), want: 'invalid_index' },
    { name: 'proof too long', index: 2n, size: 5n, proof: [...proof5, zeros(32)], want: 'wrong_proof_size' },
    { name: 'proof too short', index: 2n, size: 5n, proof: proof5.slice(1), want: 'wrong_proof_size' },
    { name: 'proof hash of 33 bytes', index: 2n, size: 5n, proof: [zeros(33), ...proof5.slice(1)], want: 'invalid_hash' },
    { name: 'wrong root', index: 2n, size: 5n, root: ref.root(4), want: 'root_mismatch' },
    { name: 'root of another length', index: 2n, size: 5n, root: zeros(12), want: 'root_mismatch' },
    { name: 'index at 2^64-2', index: MAX_UINT64 - 1n, size: MAX_UINT64, proof: [], want: 'wrong_proof_size' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = codeOf(() =>
        verifyInclusion(c.leaf ?? (leaves[2] as Uint8Array), c.index, c.size, c.proof ?? proof5, c.root ?? ref.root(5)),
      );
      assert.equal(got, c.want);
    });
  }

  it('reports sizes in transparency-dev wording', () => {
    assert.throws(() => rootFromInclusionProof(zeros(32), 2n, 5n, []), { code: 'wrong_proof_size', message: 'wrong proof size 0, want 3' });
  });
});

describe('verifyConsistency errors', () => {
  const proof = ref.consistency(3, 7);
  const cases: { name: string; size1: bigint; size2: bigint; proof?: Uint8Array[]; root1?: Uint8Array; root2?: Uint8Array; want: MerkleErrorCode | 'ok' }[] = [
    { name: 'happy path', size1: 3n, size2: 7n, want: 'ok' },
    { name: 'size2 < size1', size1: 7n, size2: 3n, want: 'invalid_size' },
    { name: 'size1 zero', size1: 0n, size2: 7n, proof: [], want: 'invalid_size' },
    { name: 'both zero, equal roots', size1: 0n, size2: 0n, proof: [], root1: ref.root(0), root2: ref.root(0), want: 'invalid_size' },
    { name: 'equal sizes, equal roots', size1: 7n, size2: 7n, proof: [], root1: ref.root(7), want: 'ok' },
    { name: 'equal sizes, proof not empty', size1: 7n, size2: 7n, proof: [ref.root(7)], root1: ref.root(7), want: 'wrong_proof_size' },
    { name: 'equal sizes, other roots', size1: 7n, size2: 7n, proof: [], want: 'root_mismatch' },
    { name: 'empty proof', size1: 3n, size2: 7n, proof: [], want: 'wrong_proof_size' },
    { name: 'proof too long', size1: 3n, size2: 7n, proof: [...proof, zeros(32)], want: 'wrong_proof_size' },
    { name: 'proof hash of 31 bytes', size1: 3n, size2: 7n, proof: [zeros(31), ...proof.slice(1)], want: 'invalid_hash' },
    { name: 'wrong root1', size1: 3n, size2: 7n, root1: ref.root(4), want: 'root_mismatch' },
    { name: 'wrong root2', size1: 3n, size2: 7n, root2: ref.root(6), want: 'root_mismatch' },
    { name: 'size2 above uint64', size1: 3n, size2: MAX_UINT64 + 1n, want: 'invalid_size' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = codeOf(() => verifyConsistency(c.size1, c.size2, c.proof ?? proof, c.root1 ?? ref.root(3), c.root2 ?? ref.root(7)));
      assert.equal(got, c.want);
    });
  }
});

describe('verification properties', () => {
  const indexInTree = fc.integer({ min: 1, max: leaves.length }).chain((size) => fc.tuple(fc.integer({ min: 0, max: size - 1 }), fc.constant(size)));
  const sizePair = fc.integer({ min: 1, max: leaves.length }).chain((size2) => fc.tuple(fc.integer({ min: 1, max: size2 }), fc.constant(size2)));

  it('every reference inclusion proof verifies and a one-bit flip fails', () => {
    fc.assert(
      fc.property(indexInTree, fc.nat(), fc.nat(255), ([index, size], pick, bit) => {
        const leaf = leaves[index] as Uint8Array;
        const proof = ref.inclusion(index, size);
        const root = ref.root(size);
        verifyInclusion(leaf, BigInt(index), BigInt(size), proof, root);
        // Slot 0 is the leaf, the last slot the root, the ones between the proof hashes.
        const all = flipBit([leaf, ...proof, root], pick % (proof.length + 2), bit);
        const [badLeaf, ...rest] = all;
        const badRoot = rest.pop() as Uint8Array;
        assert.equal(codeOf(() => verifyInclusion(badLeaf as Uint8Array, BigInt(index), BigInt(size), rest, badRoot)), 'root_mismatch');
      }),
    );
  });

  it('every reference consistency proof verifies and a one-bit flip fails', () => {
    fc.assert(
      fc.property(sizePair, fc.nat(), fc.nat(255), ([size1, size2], pick, bit) => {
        const proof = ref.consistency(size1, size2);
        verifyConsistency(BigInt(size1), BigInt(size2), proof, ref.root(size1), ref.root(size2));
        const all = flipBit([ref.root(size1), ...proof, ref.root(size2)], pick % (proof.length + 2), bit);
        const [root1, ...rest] = all;
        const root2 = rest.pop() as Uint8Array;
        assert.equal(codeOf(() => verifyConsistency(BigInt(size1), BigInt(size2), rest, root1 as Uint8Array, root2)), 'root_mismatch');
      }),
    );
  });

  it('a proof with a hash added or removed fails on its length', () => {
    fc.assert(
      fc.property(indexInTree, sizePair, ([index, size], [size1, size2]) => {
        const inclusion = ref.inclusion(index, size);
        const leaf = leaves[index] as Uint8Array;
        const longer = [...inclusion, zeros(32)];
        assert.equal(codeOf(() => verifyInclusion(leaf, BigInt(index), BigInt(size), longer, ref.root(size))), 'wrong_proof_size');
        const consistency = ref.consistency(size1, size2);
        const shorter = consistency.slice(1);
        const want = consistency.length === 0 ? 'ok' : 'wrong_proof_size';
        assert.equal(codeOf(() => verifyConsistency(BigInt(size1), BigInt(size2), shorter, ref.root(size1), ref.root(size2))), want);
      }),
    );
  });
});
