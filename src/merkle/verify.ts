/**
 * Proof verification, RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency), with the
 * checks ordered exactly as transparency-dev/merkle orders them so verdicts on its vectors
 * match: size/index errors first, then the leaf hash length, then the proof length, then roots.
 *
 * The RFC walks the proof with shifting fn/sn counters; here the same walk is split up front
 * into `inner` hashes (where the path bit of the index says left or right) and `border` hashes
 * (on the tree's right border, always left siblings), which gives the expected proof length
 * before any hashing. Roots are compared as raw bytes of any length.
 */
import { MerkleError } from './errors.js';
import { hashChildren } from './hash.js';
import { bitLength, onesCount, requireHash, requireUint64, trailingZeros } from './node.js';

interface InclusionShape {
  inner: number;
  border: number;
}

/** How many proof hashes sit below the right border (inner) and on it (border). */
function inclusionShape(index: bigint, size: bigint): InclusionShape {
  const inner = bitLength(index ^ (size - 1n));
  return { inner, border: onesCount(index >> BigInt(inner)) };
}

function requireProofSize(proof: Uint8Array[], want: number): void {
  if (proof.length !== want) {
    throw new MerkleError('wrong_proof_size', `wrong proof size ${proof.length}, want ${want}`);
  }
  proof.forEach((hash, i) => requireHash(hash, `proof[${i}]`));
}

function requireEqualRoots(calculated: Uint8Array, expected: Uint8Array, message: string): void {
  const equal =
    calculated.length === expected.length && calculated.every((byte, i) => byte === expected[i]);
  if (!equal) throw new MerkleError('root_mismatch', message);
}

function isLeftChild(index: bigint, level: number): boolean {
  return ((index >> BigInt(level)) & 1n) === 0n;
}

/** The root that `proof` implies for leaf `leafHash` at `index` in a tree of `size`. */
export function rootFromInclusionProof(
  leafHash: Uint8Array,
  index: bigint,
  size: bigint,
  proof: Uint8Array[],
): Uint8Array {
  requireUint64(index, 'invalid_index', 'index');
  requireUint64(size, 'invalid_size', 'size');
  if (index >= size) throw new MerkleError('invalid_index', `index is beyond size: ${index} >= ${size}`);
  requireHash(leafHash, 'leafHash');
  const { inner, border } = inclusionShape(index, size);
  requireProofSize(proof, inner + border);

  let hash = leafHash;
  proof.forEach((sibling, level) => {
    hash = level < inner && isLeftChild(index, level) ? hashChildren(hash, sibling) : hashChildren(sibling, hash);
  });
  return hash;
}

export function verifyInclusion(
  leafHash: Uint8Array,
  index: bigint,
  size: bigint,
  proof: Uint8Array[],
  root: Uint8Array,
): void {
  const calculated = rootFromInclusionProof(leafHash, index, size, proof);
  requireEqualRoots(calculated, root, 'calculated root does not match expected root');
}

/**
 * Checks that the tree of size2 with root2 extends the tree of size1 with root1. A tree of
 * size 0 is consistent with everything, so a proof from it proves nothing and is rejected.
 */
export function verifyConsistency(
  size1: bigint,
  size2: bigint,
  proof: Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  requireUint64(size1, 'invalid_size', 'size1');
  requireUint64(size2, 'invalid_size', 'size2');
  if (size2 < size1) throw new MerkleError('invalid_size', `size2 (${size2}) < size1 (${size1})`);
  if (size1 === 0n) throw new MerkleError('invalid_size', 'consistency proof from an empty tree is meaningless');
  if (size1 === size2) {
    requireProofSize(proof, 0);
    requireEqualRoots(root1, root2, 'root1 does not match root2 of the same size');
    return;
  }
  // The walk starts at the old tree's last perfect subtree (level `shift`): it is proof[0],
  // unless size1 is a power of two, when it is the old root itself.
  const shift = trailingZeros(size1);
  const shape = inclusionShape(size1 - 1n, size2);
  const inner = shape.inner - shift;
  const seedInProof = size1 !== 1n << BigInt(shift);
  requireProofSize(proof, (seedInProof ? 1 : 0) + inner + shape.border);

  const seed = seedInProof ? (proof[0] as Uint8Array) : root1;
  const path = seedInProof ? proof.slice(1) : proof;
  const mask = (size1 - 1n) >> BigInt(shift);
  let hash1 = seed;
  let hash2 = seed;
  path.forEach((sibling, level) => {
    if (level < inner && isLeftChild(mask, level)) {
      // A right sibling here lies beyond size1: it only enters the new root.
      hash2 = hashChildren(hash2, sibling);
    } else {
      hash1 = hashChildren(sibling, hash1);
      hash2 = hashChildren(sibling, hash2);
    }
  });
  requireEqualRoots(hash1, root1, 'calculated root1 does not match expected root1');
  requireEqualRoots(hash2, root2, 'calculated root2 does not match expected root2');
}
