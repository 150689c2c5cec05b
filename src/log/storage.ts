/**
 * The storage contract of the log. Drivers (src/storage/sqlite, later postgres and mysql)
 * implement LogStorage natively; the algorithms they share (which tiles change, what is a
 * duplicate, what gets signed) live in src/log and src/merkle, never in a driver.
 *
 * Durability: every method that writes returns only after its transaction has committed
 * durably. Concurrency: any number of processes may share one database; `integrate` is
 * serialized by the database (SQLite's write lock, a row lock on the tree head elsewhere), and
 * re-reads the head inside that lock, so no caller may hold tree state across calls.
 * Reads never block writers. Full tiles never change once written, so callers may cache them
 * forever; a partial tile of a given width never changes either (tiles only grow).
 */
import type { TileId, TileWrite } from '../merkle/index.js';

export type ShardState = 'active' | 'frozen';

/** One tree of the log. The first start creates one; rotation (later) freezes it and opens the next. */
export interface ShardRecord {
  treeId: bigint;
  /** Checkpoint origin: `<hostname> - <treeId>`. */
  origin: string;
  /** Checkpoint signer name (the hostname). */
  signerName: string;
  state: ShardState;
  /** SPKI DER of the key that signs this shard's checkpoints and SETs. */
  publicKeyDer: Uint8Array;
  /** Global (virtual) index of this shard's first entry: the sizes of all older shards. */
  startIndex: bigint;
  createdAt: Date;
}

export interface TreeHead {
  treeId: bigint;
  size: bigint;
  rootHash: Uint8Array;
  /** The signed checkpoint (signed note text) for exactly this size and root. */
  checkpoint: string;
}

export interface StoredEntry {
  treeId: bigint;
  /** Index inside its shard. */
  index: bigint;
  leafHash: Uint8Array;
  /** The canonical body: the leaf value. */
  body: Uint8Array;
  /** Unix seconds at integration. */
  integratedTime: bigint;
  /** Signature over the SET payload with the shard key, made at integration. */
  signedEntryTimestamp: Uint8Array;
  /** The attestation stored beside the entry (intoto), when there is one. */
  attestation?: Uint8Array;
}

/**
 * A stored entry and its shard's head, read in one snapshot, so the head always includes the
 * entry. One read instead of two is what a proof read costs: for SQLite, one read transaction
 * and its file locks rather than two.
 */
export interface EntryAtHead {
  entry: StoredEntry;
  head: TreeHead;
}

/** An entry waiting for integration: opaque bytes, their leaf hash, and its search-index keys. */
export interface PendingEntry {
  leafHash: Uint8Array;
  body: Uint8Array;
  /** Lower-cased search-index keys, written in the same transaction as the entry. */
  indexKeys: readonly string[];
  /** Stored beside the entry in the same transaction, returned on reads. */
  attestation?: Uint8Array;
}

/** What the sealer signs: the entries just given indices, and the new tree head. */
export interface SealInput {
  shard: ShardRecord;
  integratedTime: bigint;
  entries: ReadonlyArray<{ index: bigint; leafHash: Uint8Array; body: Uint8Array }>;
  size: bigint;
  rootHash: Uint8Array;
}

export interface SealOutput {
  /** One SET per entry of SealInput.entries, in order. */
  signedEntryTimestamps: Uint8Array[];
  checkpoint: string;
}

/** Signs inside the integration transaction. Synchronous, no I/O: it only holds the key. */
export type Sealer = (input: SealInput) => SealOutput;

export type IntegrationOutcome =
  | { status: 'added'; entry: StoredEntry }
  /** The identical leaf is already in this shard (possibly added earlier in the same batch). */
  | { status: 'duplicate'; treeId: bigint; index: bigint; leafHash: Uint8Array };

export interface IntegrationResult {
  /** One per pending entry, in order. */
  outcomes: IntegrationOutcome[];
  /** The head after the transaction (unchanged when every entry was a duplicate). */
  head: TreeHead;
  /** Every tile the transaction wrote, in its final version. */
  tiles: TileWrite[];
}

/** A search-index hit: the entry's shard and leaf hash. */
export interface IndexHit {
  treeId: bigint;
  leafHash: Uint8Array;
}

export interface LogStorage {
  /** All shards, oldest first. */
  listShards(): Promise<ShardRecord[]>;
  /**
   * Creates a shard with its empty tree head (size 0, the empty root, a checkpoint signed for
   * it). Throws if a shard with that tree ID exists, or if `shard.state` is active while
   * another shard is active.
   */
  createShard(shard: ShardRecord, initialHead: TreeHead): Promise<void>;
  /** The current head of a shard, read fresh; null for an unknown tree. */
  head(treeId: bigint): Promise<TreeHead | null>;
  /** The signed checkpoint stored for a past size, if that size was ever a head. */
  checkpointAt(treeId: bigint, size: bigint): Promise<TreeHead | null>;
  /**
   * Integrates a batch into the active shard `treeId` in ONE transaction: dedupes by leaf hash
   * against the shard and within the batch, assigns indices, appends to the tiles, calls
   * `seal` for the SETs and the new checkpoint, writes entries, index keys, tiles and head, and
   * commits. Either all of it is durable when this resolves, or none of it is.
   */
  integrate(treeId: bigint, batch: readonly PendingEntry[], seal: Sealer, integratedTime: bigint): Promise<IntegrationResult>;
  /**
   * Tiles as stored, keyed by `tileKey` of the requested id. A stored tile may be wider than
   * requested (it grew since); its first `width` hashes are the requested tile. Tiles not
   * present are absent from the map.
   */
  readTiles(treeId: bigint, tiles: readonly TileId[]): Promise<Map<string, Uint8Array>>;
  /** The entry with its shard's current head, read together (see EntryAtHead). */
  entryByIndex(treeId: bigint, index: bigint): Promise<EntryAtHead | null>;
  /** Entries with this leaf hash and their shards' current heads; in `treeId` only when given, else in every shard. */
  entriesByLeafHash(leafHash: Uint8Array, treeId?: bigint): Promise<EntryAtHead[]>;
  /** For each (lower-cased) key, the entries indexed under it. */
  searchIndex(keys: readonly string[]): Promise<Map<string, IndexHit[]>>;
  close(): Promise<void>;
}

/**
 * Runs integration for a log. The default runs `LogStorage.integrate` in-process with the log's
 * sealer; a driver may run it elsewhere (the SQLite driver: a writer thread, so commits and
 * their fsync never block the event loop) as long as it keeps integrate()'s contract.
 */
export interface Integrator {
  integrate(treeId: bigint, batch: readonly PendingEntry[], integratedTime: bigint): Promise<IntegrationResult>;
  close(): Promise<void>;
}

/** The map key used by readTiles and the tile caches: independent of width. */
export function tileKey(tile: { level: number; index: bigint }): string {
  return `${tile.level}/${tile.index}`;
}
