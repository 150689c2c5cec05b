/**
 * The SQLite schema. Tree IDs and indices are INTEGER (int64; read back as bigint). Hashes are
 * BLOBs. The tiles table holds the latest version of each tile; full tiles never change.
 */
export const SCHEMA_VERSION = 2;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS shards (
  tree_id     INTEGER PRIMARY KEY,
  origin      TEXT    NOT NULL,
  signer_name TEXT    NOT NULL,
  state       TEXT    NOT NULL CHECK (state IN ('active', 'frozen')),
  public_key  BLOB    NOT NULL,
  start_index INTEGER NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS shards_one_active ON shards(state) WHERE state = 'active';

CREATE TABLE IF NOT EXISTS tree_heads (
  tree_id    INTEGER PRIMARY KEY REFERENCES shards(tree_id),
  size       INTEGER NOT NULL,
  root_hash  BLOB    NOT NULL,
  checkpoint TEXT    NOT NULL
);

CREATE TABLE IF NOT EXISTS checkpoints (
  tree_id    INTEGER NOT NULL REFERENCES shards(tree_id),
  size       INTEGER NOT NULL,
  root_hash  BLOB    NOT NULL,
  checkpoint TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tree_id, size)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS entries (
  tree_id         INTEGER NOT NULL,
  idx             INTEGER NOT NULL,
  leaf_hash       BLOB    NOT NULL,
  body            BLOB    NOT NULL,
  integrated_time INTEGER NOT NULL,
  set_sig         BLOB    NOT NULL,
  PRIMARY KEY (tree_id, idx)
);
CREATE UNIQUE INDEX IF NOT EXISTS entries_by_leaf ON entries(leaf_hash, tree_id);

CREATE TABLE IF NOT EXISTS attestations (
  tree_id INTEGER NOT NULL,
  idx     INTEGER NOT NULL,
  data    BLOB    NOT NULL,
  PRIMARY KEY (tree_id, idx)
);

CREATE TABLE IF NOT EXISTS tiles (
  tree_id INTEGER NOT NULL,
  level   INTEGER NOT NULL,
  idx     INTEGER NOT NULL,
  width   INTEGER NOT NULL CHECK (width BETWEEN 1 AND 256),
  data    BLOB    NOT NULL,
  PRIMARY KEY (tree_id, level, idx)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS index_keys (
  key       TEXT    NOT NULL,
  tree_id   INTEGER NOT NULL,
  leaf_hash BLOB    NOT NULL,
  PRIMARY KEY (key, tree_id, leaf_hash)
) WITHOUT ROWID;
`;
