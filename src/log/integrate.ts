/**
 * The integration step every storage driver runs inside its transaction, as a pure function:
 * given the shard's head and right-edge tiles (read under the lock), the batch, and a lookup of
 * leaves already in the shard, decide duplicates, assign indices, extend the tiles and have the
 * sealer sign. The driver then writes exactly what the plan says. Nothing here does I/O.
 */
import { appendLeaves, type TileWrite } from '../merkle/index.js';
import type {
  IntegrationOutcome,
  PendingEntry,
  Sealer,
  ShardRecord,
  StoredEntry,
  TreeHead,
} from './storage.js';

export interface IntegrationInput {
  shard: ShardRecord;
  head: TreeHead;
  /** The right-edge partial tiles at head.size (merkle's edgeTileIds). */
  edge: TileWrite[];
  batch: readonly PendingEntry[];
  /** Index of a leaf already in the shard, or undefined. */
  existingIndex: (leafHash: Uint8Array) => bigint | undefined;
  seal: Sealer;
  integratedTime: bigint;
}

export interface AddedEntry {
  entry: StoredEntry;
  indexKeys: readonly string[];
}

export interface IntegrationPlan {
  outcomes: IntegrationOutcome[];
  /** The entries to insert, in index order. */
  added: AddedEntry[];
  /** The new head; identical to the input head when nothing was added. */
  head: TreeHead;
  /** Tiles to write (created or grown), final versions. */
  tiles: TileWrite[];
}

export function planIntegration(input: IntegrationInput): IntegrationPlan {
  const { shard, head, batch } = input;
  const assigned = new Map<string, bigint>();
  const newLeaves: Array<{ pending: PendingEntry; index: bigint }> = [];
  const slots: Slot[] = [];

  let next = head.size;
  for (const pending of batch) {
    const key = Buffer.from(pending.leafHash).toString('hex');
    const known = assigned.get(key) ?? input.existingIndex(pending.leafHash);
    if (known !== undefined) {
      slots.push({ kind: 'dup', index: known, leafHash: pending.leafHash });
      continue;
    }
    assigned.set(key, next);
    slots.push({ kind: 'new', at: newLeaves.length });
    newLeaves.push({ pending, index: next });
    next += 1n;
  }

  if (newLeaves.length === 0) {
    return { outcomes: slots.map((s) => outcomeOf(shard, s, [])), added: [], head, tiles: [] };
  }

  const appended = appendLeaves(head.size, input.edge, newLeaves.map((l) => l.pending.leafHash));
  const sealed = input.seal({
    shard,
    integratedTime: input.integratedTime,
    entries: newLeaves.map((l) => ({ index: l.index, leafHash: l.pending.leafHash, body: l.pending.body })),
    size: appended.size,
    rootHash: appended.root,
  });
  if (sealed.signedEntryTimestamps.length !== newLeaves.length) {
    throw new Error(`sealer returned ${sealed.signedEntryTimestamps.length} SETs, want ${newLeaves.length}`);
  }

  const added: AddedEntry[] = newLeaves.map((l, i) => ({
    entry: {
      treeId: shard.treeId,
      index: l.index,
      leafHash: l.pending.leafHash,
      body: l.pending.body,
      integratedTime: input.integratedTime,
      signedEntryTimestamp: sealed.signedEntryTimestamps[i] as Uint8Array,
      ...(l.pending.attestation === undefined ? {} : { attestation: l.pending.attestation }),
    },
    indexKeys: l.pending.indexKeys,
  }));
  return {
    outcomes: slots.map((s) => outcomeOf(shard, s, added)),
    added,
    head: { treeId: shard.treeId, size: appended.size, rootHash: appended.root, checkpoint: sealed.checkpoint },
    tiles: appended.tiles,
  };
}

type Slot = { kind: 'new'; at: number } | { kind: 'dup'; index: bigint; leafHash: Uint8Array };

function outcomeOf(shard: ShardRecord, slot: Slot, added: readonly AddedEntry[]): IntegrationOutcome {
  if (slot.kind === 'dup') {
    return { status: 'duplicate', treeId: shard.treeId, index: slot.index, leafHash: slot.leafHash };
  }
  const fresh = added[slot.at];
  if (fresh === undefined) throw new Error('integration plan lost an entry');
  return { status: 'added', entry: fresh.entry };
}
