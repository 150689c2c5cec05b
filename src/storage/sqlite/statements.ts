/** Prepared statements of the SQLite driver, compiled once per connection. */
import type Database from 'better-sqlite3';

// The head's size only: its checkpoint, immutable per size, is read (and kept) by the driver.
const ENTRY_AT_HEAD = `SELECT e.*, a.data AS attestation, h.size AS head_size
     FROM entries e JOIN tree_heads h ON h.tree_id = e.tree_id
     LEFT JOIN attestations a ON a.tree_id = e.tree_id AND a.idx = e.idx`;

const SQL = {
  listShards: 'SELECT * FROM shards ORDER BY start_index, created_at',
  shard: 'SELECT * FROM shards WHERE tree_id = ?',
  insertShard: `INSERT INTO shards (tree_id, origin, signer_name, state, public_key, start_index, created_at)
       VALUES (@tree_id, @origin, @signer_name, @state, @public_key, @start_index, @created_at)`,
  head: 'SELECT tree_id, size, root_hash, checkpoint FROM tree_heads WHERE tree_id = ?',
  upsertHead: `INSERT INTO tree_heads (tree_id, size, root_hash, checkpoint) VALUES (@tree_id, @size, @root_hash, @checkpoint)
       ON CONFLICT (tree_id) DO UPDATE SET size = excluded.size, root_hash = excluded.root_hash, checkpoint = excluded.checkpoint`,
  checkpointAt: 'SELECT tree_id, size, root_hash, checkpoint FROM checkpoints WHERE tree_id = ? AND size = ?',
  insertCheckpoint: `INSERT OR IGNORE INTO checkpoints (tree_id, size, root_hash, checkpoint, created_at)
       VALUES (@tree_id, @size, @root_hash, @checkpoint, @created_at)`,
  indexOfLeaf: 'SELECT idx FROM entries WHERE leaf_hash = ? AND tree_id = ?',
  insertEntry: `INSERT INTO entries (tree_id, idx, leaf_hash, body, integrated_time, set_sig)
       VALUES (@tree_id, @idx, @leaf_hash, @body, @integrated_time, @set_sig)`,
  insertIndexKey: 'INSERT OR IGNORE INTO index_keys (key, tree_id, leaf_hash) VALUES (?, ?, ?)',
  upsertTile: `INSERT INTO tiles (tree_id, level, idx, width, data) VALUES (@tree_id, @level, @idx, @width, @data)
       ON CONFLICT (tree_id, level, idx) DO UPDATE SET width = excluded.width, data = excluded.data
       WHERE excluded.width > tiles.width`,
  tile: 'SELECT width, data FROM tiles WHERE tree_id = ? AND level = ? AND idx = ?',
  insertAttestation: 'INSERT INTO attestations (tree_id, idx, data) VALUES (?, ?, ?)',
  // An entry, its attestation and its shard's head size in one statement: one read transaction.
  entryByIndex: `${ENTRY_AT_HEAD} WHERE e.tree_id = ? AND e.idx = ?`,
  entriesByLeaf: `${ENTRY_AT_HEAD} WHERE e.leaf_hash = ?`,
  entriesByLeafInTree: `${ENTRY_AT_HEAD} WHERE e.leaf_hash = ? AND e.tree_id = ?`,
  indexLookup: 'SELECT tree_id, leaf_hash FROM index_keys WHERE key = ?',
} as const;

export type Statements = { readonly [K in keyof typeof SQL]: Database.Statement };

export function prepareStatements(db: Database.Database): Statements {
  return Object.fromEntries(Object.entries(SQL).map(([name, text]) => [name, db.prepare(text)])) as Statements;
}
