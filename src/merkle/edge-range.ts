/**
 * The compact range inside a right-edge tile (the perfect subtree roots of its first `width`
 * hashes, largest first), which is what the tree root needs from that tile. Computing it from
 * the bytes costs up to 255 hashes per tile level; appendLeaves runs once per batch with an
 * edge that differs from the last one's by the batch, so it remembers the range of every
 * edge tile it returns and the next call starts from there.
 *
 * The range is a pure function of the tile bytes, so the memo is keyed by content: a
 * fingerprint picks the entry and a full comparison with a private snapshot confirms it. An
 * edge read back from storage therefore hits as well, and bytes changed in place just miss.
 * Results are identical with or without a hit. The memo is bounded (MEMO_ENTRIES, LRU), about
 * 8 KiB per entry. Ranges handed out here are shared: never mutate them.
 */
import { hashChildren } from './hash.js';
import { tileHashes, tilePrefixRange } from './expanded-tile.js';

interface RememberedRange {
  snapshot: Uint8Array;
  range: readonly Uint8Array[];
}

/** Enough for the edges (at most 8 tiles each) of several logs appending in turn. */
const MEMO_ENTRIES = 64;
/** Map iteration order is insertion order: the first key is the least recently used. */
const memo = new Map<string, RememberedRange>();

/** The tile's size and the tail of its last hash: distinct for distinct edge tiles in practice. */
function fingerprint(data: Uint8Array): string {
  let key = `${data.length}:`;
  for (const byte of data.subarray(Math.max(0, data.length - 16))) key += byte.toString(16).padStart(2, '0');
  return key;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Puts `entry` at the most recently used end, evicting the least recently used beyond the bound. */
function touch(key: string, entry: RememberedRange): void {
  memo.delete(key);
  memo.set(key, entry);
  if (memo.size > MEMO_ENTRIES) memo.delete(memo.keys().next().value as string);
}

/** The compact range of tile `data`, which holds `width` hashes. */
export function edgeTileRange(data: Uint8Array, width: number): readonly Uint8Array[] {
  const key = fingerprint(data);
  const hit = memo.get(key);
  if (hit !== undefined && sameBytes(hit.snapshot, data)) {
    touch(key, hit);
    return hit.range;
  }
  const range = tilePrefixRange(tileHashes(data, width), width);
  // Upper edge tiles change rarely: remembering them spares every later call their hashing.
  touch(key, { snapshot: new Uint8Array(data), range });
  return range;
}

/** Records that `range` is the compact range of all of `data`. */
export function rememberEdgeTileRange(data: Uint8Array, range: readonly Uint8Array[]): void {
  touch(fingerprint(data), { snapshot: new Uint8Array(data), range: [...range] });
}

/**
 * Appends `hash` as entry number `count` to `range` (in place): each trailing one bit of count
 * is a subtree of the new hash's height that it completes.
 */
export function extendRange(range: Uint8Array[], count: number, hash: Uint8Array): void {
  let merged = hash;
  for (let c = count; (c & 1) === 1; c >>= 1) merged = hashChildren(range.pop() as Uint8Array, merged);
  range.push(merged);
}
