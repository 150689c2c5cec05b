/**
 * Entry lookups answered as finished LogEntry documents: the JSON bytes a GET sends (ending in
 * "\n"), proof and checkpoint included. Reads spend most of their time here (the SQLite lookup,
 * the proof, the JSON), so the server can have read threads do it (src/main/reader-pool.ts) and
 * keep only HTTP on the event loop; entryDocuments() is the same work in the calling thread.
 */
import type { LogReader } from '../log/index.js';
import { logEntryJson } from './wire.js';

export interface EntryDocuments {
  /** The entry at a global index, or null. */
  byIndex(globalIndex: bigint): Promise<Buffer | null>;
  /** Every entry with this leaf hash: in `treeId`, else in every shard, the active one first. */
  byLeafHash(leafHash: Uint8Array, treeId?: bigint): Promise<Buffer[]>;
}

export function entryDocuments(reader: LogReader): EntryDocuments {
  const json = entryJson(reader);
  return {
    async byIndex(globalIndex) {
      const doc = await json.byIndex(globalIndex);
      return doc === null ? null : Buffer.from(doc);
    },
    async byLeafHash(leafHash, treeId) {
      return (await json.byLeafHash(leafHash, treeId)).map((doc) => Buffer.from(doc));
    },
  };
}

/** The same documents as strings, for a caller that encodes them itself (the read threads). */
export function entryJson(reader: LogReader): {
  byIndex(globalIndex: bigint): Promise<string | null>;
  byLeafHash(leafHash: Uint8Array, treeId?: bigint): Promise<string[]>;
} {
  return {
    async byIndex(globalIndex) {
      const view = await reader.entryByGlobalIndex(globalIndex);
      return view === null ? null : logEntryJson(view) + '\n';
    },
    async byLeafHash(leafHash, treeId) {
      return (await reader.entriesByLeafHash(leafHash, treeId)).map((view) => logEntryJson(view) + '\n');
    },
  };
}

/** `[doc,doc,…]\n` from LogEntry documents, as the retrieve endpoint answers. */
export function documentList(documents: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [OPEN];
  documents.forEach((doc, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(doc.subarray(0, doc.length - 1)); // without its "\n"
  });
  parts.push(CLOSE);
  return Buffer.concat(parts);
}

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']\n');
