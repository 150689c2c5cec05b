/**
 * Proof planning: which tree nodes an inclusion or consistency proof is made of, kept apart from
 * hashing them (as transparency-dev/merkle's proof package does), so storage can fetch the nodes
 * or tiles in one round and any hasher can finish the proof with `rehash`.
 *
 * A plan lists node ids in proof order (leaf to root). Where the proof's path meets the tree's
 * imperfect right border, the single proof hash there is "ephemeral": it is the root of an
 * incomplete subtree and stored nowhere, so the plan lists that subtree's perfect parts instead,
 * as nodes[begin..end) ordered right to left, and `rehash` folds them into one hash.
 * Planning throws MerkleError (invalid_index / invalid_size); it never hashes.
 */
import { MerkleError } from './errors.js';
import { hashChildren } from './hash.js';
import { bitLength, rangeNodes, requireUint64, trailingZeros, type NodeId } from './node.js';

export interface ProofPlan {
  nodes: NodeId[];
  begin: number;
  end: number;
}

/** The audit path of leaf `index` in the tree of `size` leaves (RFC 6962 PATH). */
export function inclusionPlan(index: bigint, size: bigint): ProofPlan {
  requireUint64(index, 'invalid_index', 'index');
  requireUint64(size, 'invalid_size', 'size');
  if (index >= size) {
    throw new MerkleError('invalid_index', `index ${index} out of bounds for tree size ${size}`);
  }
  return withoutFirst(pathPlan(0, index, size));
}

/**
 * The consistency proof between trees of size1 and size2 (RFC 6962 PROOF). Like
 * transparency-dev/merkle, size1 == 0 or size1 == size2 plans an empty proof; whether such a
 * request is meaningful is the caller's decision (the verifier rejects size1 == 0).
 */
export function consistencyPlan(size1: bigint, size2: bigint): ProofPlan {
  requireUint64(size1, 'invalid_size', 'size1');
  requireUint64(size2, 'invalid_size', 'size2');
  if (size1 > size2) {
    throw new MerkleError('invalid_size', `size1 ${size1} is greater than size2 ${size2}`);
  }
  if (size1 === 0n || size1 === size2) return { nodes: [], begin: 0, end: 0 };
  // The old tree's last perfect subtree is the node the two trees share on the right; the
  // proof is that node plus its path in the new tree.
  const level = trailingZeros(size1);
  const index = (size1 - 1n) >> BigInt(level);
  const plan = pathPlan(level, index, size2);
  // When size1 is a power of two that node is the old root, which the verifier already has.
  return index === 0n ? withoutFirst(plan) : plan;
}

/**
 * The node (level, index) followed by the hashes needed to climb from it to the root of the
 * tree of `size` leaves.
 */
function pathPlan(level: number, index: bigint, size: bigint): ProofPlan {
  // `fork` is where the path up from the node leaves the tree's right border; its sibling is
  // the incomplete subtree [forkEnd, size), so everything below fork is perfect.
  const climb = bitLength(index ^ (size >> BigInt(level))) - 1;
  const forkLevel = level + climb;
  const forkIndex = index >> BigInt(climb);
  const forkBegin = forkIndex << BigInt(forkLevel);
  const forkEnd = (forkIndex + 1n) << BigInt(forkLevel);

  const nodes: NodeId[] = [{ level, index }];
  for (let up = 0; up < climb; up++) {
    nodes.push({ level: level + up, index: (index >> BigInt(up)) ^ 1n });
  }
  const begin = nodes.length;
  nodes.push(...rangeNodes(forkEnd, size).reverse());
  const end = nodes.length;
  // Everything left of fork is perfect subtrees, nearest (smallest) first.
  nodes.push(...rangeNodes(0n, forkBegin).reverse());
  return { nodes, begin, end };
}

function withoutFirst(plan: ProofPlan): ProofPlan {
  // pathPlan always starts with the node itself, so begin and end are both >= 1.
  return { nodes: plan.nodes.slice(1), begin: plan.begin - 1, end: plan.end - 1 };
}

/** Turns the hashes of plan.nodes (same order) into the proof, folding the ephemeral block. */
export function rehash(hashes: Uint8Array[], plan: ProofPlan): Uint8Array[] {
  const { begin, end } = plan;
  if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || begin > end || end > plan.nodes.length) {
    throw new MerkleError('invalid_input', `malformed plan: begin ${begin}, end ${end}, ${plan.nodes.length} nodes`);
  }
  if (hashes.length !== plan.nodes.length) {
    throw new MerkleError('invalid_input', `got ${hashes.length} hashes, want ${plan.nodes.length}`);
  }
  const proof = hashes.slice(0, begin);
  if (begin < end) {
    // The block is right to left, so each further hash is the left sibling of the fold so far.
    let ephemeral = hashes[begin] as Uint8Array;
    for (let i = begin + 1; i < end; i++) ephemeral = hashChildren(hashes[i] as Uint8Array, ephemeral);
    proof.push(ephemeral);
  }
  proof.push(...hashes.slice(end));
  return proof;
}
