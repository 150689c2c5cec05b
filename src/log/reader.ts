/**
 * The read model of a log: entries with inclusion proofs against their shard's current head,
 * and consistency proofs, from storage and a cache of expanded tiles. It holds no key and writes
 * nothing, so a thread or process may keep one of its own beside the writer (the read threads
 * of src/main/reader-pool.ts do). Heads are re-read from storage on every read, in the same
 * statement as the entry, so a proof is always against a head that includes its entry.
 */
import {
  consistencyPlan,
  consistencyProofFromTiles,
  inclusionProofFromTiles,
  inclusionTiles,
  RightBorder,
  tilesForPlan,
} from '../merkle/index.js';
import { logIdOf } from '../crypto/index.js';
import { formatEntryId, type EntryId } from './entry-id.js';
import { TileCache } from './tile-cache.js';
import type { EntryAtHead, LogStorage, ShardRecord, StoredEntry, TreeHead } from './storage.js';

export interface InclusionProofView {
  hashes: Uint8Array[];
  treeSize: bigint;
  rootHash: Uint8Array;
  checkpoint: string;
}

/** An entry as the API returns it: where it lives, its global index, and a proof. */
export interface EntryView {
  shard: ShardRecord;
  /** Lower-case hex SHA-256 of the shard key's SPKI. */
  logIdHex: string;
  entryId: EntryId;
  entry: StoredEntry;
  globalIndex: bigint;
  proof: InclusionProofView;
}

export class LogReader {
  readonly tiles: TileCache;
  /** Per tree, the ephemeral hashes of the last size proofs were asked for (usually the head). */
  private readonly borders = new Map<bigint, RightBorder>();

  /** `shards`: oldest first; the caller may add to the array (rotation) and the reader follows. */
  constructor(
    private readonly storage: LogStorage,
    private readonly shards: readonly ShardRecord[],
    tileCacheSize = 4096,
  ) {
    this.tiles = new TileCache(storage, tileCacheSize);
  }

  shardOf(treeId: bigint): ShardRecord | undefined {
    return this.shards.find((s) => s.treeId === treeId);
  }

  /** The entry at a global index with a proof against its shard's current head, or null. */
  async entryByGlobalIndex(globalIndex: bigint): Promise<EntryView | null> {
    if (globalIndex < 0n) return null;
    for (let i = this.shards.length - 1; i >= 0; i -= 1) {
      const shard = this.shards[i] as ShardRecord;
      if (globalIndex < shard.startIndex) continue;
      const found = await this.storage.entryByIndex(shard.treeId, globalIndex - shard.startIndex);
      return found === null ? null : this.view(shard, found.entry, found.head);
    }
    return null;
  }

  /** Entries with this leaf hash: in the given tree, else the active shard first, then frozen ones. */
  async entriesByLeafHash(leafHash: Uint8Array, treeId?: bigint): Promise<EntryView[]> {
    const found = await this.storage.entriesByLeafHash(leafHash, treeId);
    const order = ({ entry }: EntryAtHead): number => (this.shardOf(entry.treeId)?.state === 'active' ? 0 : 1);
    found.sort((a, b) => order(a) - order(b));
    const views: EntryView[] = [];
    for (const { entry, head } of found) {
      const shard = this.shardOf(entry.treeId);
      if (shard !== undefined) views.push(await this.view(shard, entry, head));
    }
    return views;
  }

  /** RFC 6962 consistency proof between two sizes of one shard, from its tiles. */
  async consistencyProof(treeId: bigint, size1: bigint, size2: bigint): Promise<Uint8Array[]> {
    if (size1 === size2) return [];
    const plan = consistencyPlan(size1, size2);
    const getTile = await this.tiles.load(treeId, tilesForPlan(plan, size2));
    return consistencyProofFromTiles(size1, size2, getTile, this.border(treeId, size2));
  }

  async inclusionProof(treeId: bigint, index: bigint, size: bigint): Promise<Uint8Array[]> {
    const border = this.border(treeId, size);
    const getTile = await this.tiles.load(treeId, inclusionTiles(index, size, border));
    return inclusionProofFromTiles(index, size, getTile, border);
  }

  /** `entry` with an inclusion proof against `head` of its shard. */
  async view(shard: ShardRecord, entry: StoredEntry, head: TreeHead): Promise<EntryView> {
    return {
      shard,
      logIdHex: logIdHexOf(shard),
      entry,
      entryId: formatEntryId(shard.treeId, entry.leafHash),
      globalIndex: shard.startIndex + entry.index,
      proof: {
        hashes: await this.inclusionProof(shard.treeId, entry.index, head.size),
        treeSize: head.size,
        rootHash: head.rootHash,
        checkpoint: head.checkpoint,
      },
    };
  }

  private border(treeId: bigint, size: bigint): RightBorder {
    let border = this.borders.get(treeId);
    if (border === undefined || border.size !== size) {
      border = new RightBorder(size);
      this.borders.set(treeId, border);
    }
    return border;
  }
}

const logIds = new WeakMap<ShardRecord, string>();

function logIdHexOf(shard: ShardRecord): string {
  let id = logIds.get(shard);
  if (id === undefined) {
    id = Buffer.from(logIdOf(shard.publicKeyDer)).toString('hex');
    logIds.set(shard, id);
  }
  return id;
}
