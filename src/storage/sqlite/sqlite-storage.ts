/**
 * The embedded default driver: one SQLite database in WAL mode with synchronous=FULL, so a
 * commit is on disk before integrate() resolves. better-sqlite3 is synchronous; each method
 * runs to completion on the calling thread. Several processes may open the same file:
 * integration takes SQLite's write lock (BEGIN IMMEDIATE) and re-reads the head under it, and
 * readers see committed state only.
 */
import Database from 'better-sqlite3';
import { edgeTileIds, type TileId, type TileWrite } from '../../merkle/index.js';
import { planIntegration } from '../../log/integrate.js';
import {
  tileKey,
  type EntryAtHead,
  type IndexHit,
  type IntegrationResult,
  type LogStorage,
  type PendingEntry,
  type Sealer,
  type ShardRecord,
  type StoredEntry,
  type TreeHead,
} from '../../log/storage.js';
import { SCHEMA, SCHEMA_VERSION } from './schema.js';
import { prepareStatements, type Statements } from './statements.js';

export interface SqliteStorageOptions {
  /** Database file path, or ':memory:' for tests. */
  path: string;
  /** How long a writer waits for another process's write lock, in ms. */
  busyTimeoutMs?: number;
  /** SQLite's page cache for this connection, in bytes. */
  cacheSizeBytes?: number;
  /** How much of the database file is read through a memory map (0: none), in bytes. */
  mmapSizeBytes?: number;
  /**
   * After this many ms without a write, copy the WAL back into the database file (a passive
   * checkpoint, which blocks nobody); 0: only SQLite's own checkpoints. Readers then read
   * every page from the file (through the memory map) instead of looking each one up in the
   * WAL first (proof reads right after a burst of appends went about 15 % faster here).
   */
  idleCheckpointMs?: number;
}

const DEFAULT_CACHE_SIZE = 64 * 2 ** 20;
const DEFAULT_MMAP_SIZE = 2 ** 30;
const DEFAULT_IDLE_CHECKPOINT_MS = 1000;

export class SqliteStorage implements LogStorage {
  private readonly db: Database.Database;
  private readonly sql: Statements;
  private readonly idleCheckpointMs: number;
  private readonly lastHeads = new Map<bigint, TreeHead>();
  private idleCheckpoint: NodeJS.Timeout | undefined;

  constructor(options: SqliteStorageOptions) {
    this.db = new Database(options.path);
    this.db.defaultSafeIntegers(true);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    // Reads are random over the whole log: a page cache and a memory map in place of SQLite's
    // 2 MiB default keep a proof read from turning into several pread calls.
    this.db.pragma(`cache_size = ${-Math.ceil((options.cacheSizeBytes ?? DEFAULT_CACHE_SIZE) / 1024)}`);
    this.db.pragma(`mmap_size = ${options.mmapSizeBytes ?? DEFAULT_MMAP_SIZE}`);
    this.migrate();
    this.sql = prepareStatements(this.db);
    this.idleCheckpointMs = options.idleCheckpointMs ?? DEFAULT_IDLE_CHECKPOINT_MS;
  }

  private migrate(): void {
    this.db.transaction(() => {
      this.db.exec(SCHEMA);
      const row = this.db.prepare('SELECT version FROM schema_version').get() as { version: bigint } | undefined;
      if (row === undefined) {
        this.db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(SCHEMA_VERSION);
      } else if (Number(row.version) < SCHEMA_VERSION) {
        // Version 2 only added the attestations table, which SCHEMA has just created.
        this.db.prepare('UPDATE schema_version SET version = ?').run(SCHEMA_VERSION);
      } else if (Number(row.version) !== SCHEMA_VERSION) {
        throw new Error(`database schema version ${row.version}, this build knows ${SCHEMA_VERSION}`);
      }
    }).immediate();
  }

  async listShards(): Promise<ShardRecord[]> {
    return (this.sql.listShards.all() as ShardRow[]).map(shardFromRow);
  }

  async createShard(shard: ShardRecord, initialHead: TreeHead): Promise<void> {
    this.db.transaction(() => {
      this.sql.insertShard.run({
        tree_id: shard.treeId,
        origin: shard.origin,
        signer_name: shard.signerName,
        state: shard.state,
        public_key: shard.publicKeyDer,
        start_index: shard.startIndex,
        created_at: BigInt(shard.createdAt.getTime()),
      });
      if (initialHead.size !== 0n) throw new Error('a new shard starts empty');
      const head = { tree_id: shard.treeId, size: 0n, root_hash: initialHead.rootHash, checkpoint: initialHead.checkpoint };
      this.sql.upsertHead.run(head);
      this.sql.insertCheckpoint.run({ ...head, created_at: BigInt(Date.now()) });
    }).immediate();
  }

  async head(treeId: bigint): Promise<TreeHead | null> {
    return this.readHead(treeId);
  }

  private readHead(treeId: bigint): TreeHead | null {
    const row = this.sql.head.get(treeId) as HeadRow | undefined;
    return row === undefined ? null : headFromRow(row);
  }

  async checkpointAt(treeId: bigint, size: bigint): Promise<TreeHead | null> {
    const row = this.sql.checkpointAt.get(treeId, size) as HeadRow | undefined;
    return row === undefined ? null : headFromRow(row);
  }

  async integrate(
    treeId: bigint,
    batch: readonly PendingEntry[],
    seal: Sealer,
    integratedTime: bigint,
  ): Promise<IntegrationResult> {
    const run = this.db.transaction((): IntegrationResult => {
      const shardRow = this.sql.shard.get(treeId) as ShardRow | undefined;
      if (shardRow === undefined) throw new Error(`no shard ${treeId}`);
      const shard = shardFromRow(shardRow);
      if (shard.state !== 'active') throw new Error(`shard ${treeId} is frozen`);
      const head = this.readHead(treeId);
      if (head === null) throw new Error(`shard ${treeId} has no tree head`);

      const plan = planIntegration({
        shard,
        head,
        edge: this.readEdge(treeId, head.size),
        batch,
        existingIndex: (leafHash) => (this.sql.indexOfLeaf.get(leafHash, treeId) as { idx: bigint } | undefined)?.idx,
        seal,
        integratedTime,
      });
      if (plan.added.length === 0) return { outcomes: plan.outcomes, head, tiles: [] };

      for (const { entry, indexKeys } of plan.added) {
        this.sql.insertEntry.run({
          tree_id: treeId,
          idx: entry.index,
          leaf_hash: entry.leafHash,
          body: entry.body,
          integrated_time: entry.integratedTime,
          set_sig: entry.signedEntryTimestamp,
        });
        for (const key of indexKeys) this.sql.insertIndexKey.run(key, treeId, entry.leafHash);
        if (entry.attestation !== undefined) this.sql.insertAttestation.run(treeId, entry.index, entry.attestation);
      }
      for (const { tile, data } of plan.tiles) {
        this.sql.upsertTile.run({ tree_id: treeId, level: tile.level, idx: tile.index, width: tile.width, data });
      }
      const headRow = { tree_id: treeId, size: plan.head.size, root_hash: plan.head.rootHash, checkpoint: plan.head.checkpoint };
      this.sql.upsertHead.run(headRow);
      this.sql.insertCheckpoint.run({ ...headRow, created_at: BigInt(Date.now()) });
      return { outcomes: plan.outcomes, head: plan.head, tiles: plan.tiles };
    });
    const result = run.immediate();
    this.checkpointWhenIdle();
    return result;
  }

  private checkpointWhenIdle(): void {
    if (this.idleCheckpointMs === 0) return;
    if (this.idleCheckpoint !== undefined) {
      this.idleCheckpoint.refresh();
      return;
    }
    this.idleCheckpoint = setTimeout(() => {
      this.idleCheckpoint = undefined;
      try {
        if (this.db.open) this.db.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // Only an optimization: SQLite's own checkpoints still run as the WAL grows.
      }
    }, this.idleCheckpointMs);
    this.idleCheckpoint.unref();
  }

  private readEdge(treeId: bigint, size: bigint): TileWrite[] {
    return edgeTileIds(size).map((tile) => {
      const row = this.sql.tile.get(treeId, tile.level, tile.index) as TileRow | undefined;
      if (row === undefined || Number(row.width) < tile.width) {
        throw new Error(`tree ${treeId} is missing edge tile ${tile.level}/${tile.index} of width ${tile.width}`);
      }
      return { tile, data: row.data.subarray(0, tile.width * 32) };
    });
  }

  async readTiles(treeId: bigint, tiles: readonly TileId[]): Promise<Map<string, Uint8Array>> {
    const found = new Map<string, Uint8Array>();
    for (const tile of tiles) {
      const row = this.sql.tile.get(treeId, tile.level, tile.index) as TileRow | undefined;
      if (row !== undefined) found.set(tileKey(tile), row.data);
    }
    return found;
  }

  async entryByIndex(treeId: bigint, index: bigint): Promise<EntryAtHead | null> {
    const row = this.sql.entryByIndex.get(treeId, index) as EntryAtHeadRow | undefined;
    return row === undefined ? null : this.entryAtHead(row);
  }

  async entriesByLeafHash(leafHash: Uint8Array, treeId?: bigint): Promise<EntryAtHead[]> {
    const rows = (treeId === undefined
      ? this.sql.entriesByLeaf.all(leafHash)
      : this.sql.entriesByLeafInTree.all(leafHash, treeId)) as EntryAtHeadRow[];
    return rows.map((row) => this.entryAtHead(row));
  }

  private entryAtHead(row: EntryAtHeadRow): EntryAtHead {
    const entry: StoredEntry = {
      treeId: row.tree_id,
      index: row.idx,
      leafHash: row.leaf_hash,
      body: row.body,
      integratedTime: row.integrated_time,
      signedEntryTimestamp: row.set_sig,
    };
    if (row.attestation !== null) entry.attestation = row.attestation;
    return { entry, head: this.headOfSize(row.tree_id, row.head_size) };
  }

  /**
   * The signed head of `treeId` at `size`. Reads mostly meet the same head, so the last one per
   * tree is kept: reused, it spares each read a checkpoint string and a root hash to build (and
   * lets the JSON writer reuse their encoding). The checkpoints table holds every head ever
   * signed, so the size read with an entry always finds its checkpoint, however the head moved since.
   */
  private headOfSize(treeId: bigint, size: bigint): TreeHead {
    const known = this.lastHeads.get(treeId);
    if (known !== undefined && known.size === size) return known;
    const row = this.sql.checkpointAt.get(treeId, size) as HeadRow | undefined;
    if (row === undefined) throw new Error(`tree ${treeId} has no checkpoint for its head of size ${size}`);
    const head = headFromRow(row);
    this.lastHeads.set(treeId, head);
    return head;
  }

  async searchIndex(keys: readonly string[]): Promise<Map<string, IndexHit[]>> {
    const hits = new Map<string, IndexHit[]>();
    for (const key of new Set(keys)) {
      const rows = this.sql.indexLookup.all(key) as Array<{ tree_id: bigint; leaf_hash: Buffer }>;
      hits.set(key, rows.map((r) => ({ treeId: r.tree_id, leafHash: new Uint8Array(r.leaf_hash) })));
    }
    return hits;
  }

  async close(): Promise<void> {
    clearTimeout(this.idleCheckpoint);
    this.idleCheckpoint = undefined;
    if (this.db.open) this.db.close();
  }
}

interface ShardRow {
  tree_id: bigint;
  origin: string;
  signer_name: string;
  state: 'active' | 'frozen';
  public_key: Buffer;
  start_index: bigint;
  created_at: bigint;
}
interface HeadRow {
  tree_id: bigint;
  size: bigint;
  root_hash: Buffer;
  checkpoint: string;
}
interface TileRow {
  width: bigint;
  data: Buffer;
}
interface EntryAtHeadRow {
  tree_id: bigint;
  idx: bigint;
  leaf_hash: Buffer;
  body: Buffer;
  integrated_time: bigint;
  set_sig: Buffer;
  attestation: Buffer | null;
  head_size: bigint;
}

function shardFromRow(row: ShardRow): ShardRecord {
  return {
    treeId: row.tree_id,
    origin: row.origin,
    signerName: row.signer_name,
    state: row.state,
    publicKeyDer: new Uint8Array(row.public_key),
    startIndex: row.start_index,
    createdAt: new Date(Number(row.created_at)),
  };
}

// Rows' BLOBs arrive as fresh Buffers (Uint8Arrays) owned by nobody else: no copy is needed.
function headFromRow(row: HeadRow): TreeHead {
  return { treeId: row.tree_id, size: row.size, rootHash: row.root_hash, checkpoint: row.checkpoint };
}

