/**
 * The log engine: one active shard that takes new entries through the group-commit sequencer,
 * any number of frozen shards, and the read model (a LogReader: entries with inclusion proofs
 * against the current head, consistency proofs). Entries are opaque bytes with a leaf hash.
 *
 * An add() resolves only after the transaction that integrated the entry has committed; its
 * proof and SET are against the checkpoint that transaction signed. Heads are re-read from
 * storage on every read, so several processes may serve one database.
 */
import { randomBytes } from 'node:crypto';
import { EMPTY_ROOT } from '../merkle/index.js';
import { RekorError } from '../errors.js';
import { formatEntryId, type EntryId } from './entry-id.js';
import { LogReader, type EntryView } from './reader.js';
import { Sequencer, type SequencerOptions } from './sequencer.js';
import { makeSealer, signEmptyHead, type ShardSigner } from './seal.js';
import type { IntegrationOutcome, Integrator, LogStorage, PendingEntry, ShardRecord, TreeHead } from './storage.js';

export interface LogOptions {
  storage: LogStorage;
  /** Signs the active shard's checkpoints and SETs. */
  signer: ShardSigner;
  /** Checkpoint signer name; the origin of a new shard is `<hostname> - <treeID>`. */
  hostname: string;
  sequencer: SequencerOptions;
  /** Where integration runs; default: `storage.integrate` in this thread, sealed with `signer`. */
  integrator?: Integrator;
  tileCacheSize?: number;
  clock?: () => Date;
}

export type AddResult = { status: 'added'; view: EntryView } | { status: 'duplicate'; entryId: EntryId };

interface Integrated {
  outcome: IntegrationOutcome;
  shard: ShardRecord;
  head: TreeHead;
}

export class LogIdentityError extends Error {
  override readonly name = 'LogIdentityError';
}

export class TransparencyLog {
  /** The read model; the tiles each batch writes go into its cache. */
  readonly reader: LogReader;
  private readonly sequencer: Sequencer<PendingEntry, Integrated>;
  private readonly clock: () => Date;
  private readonly integrator: Integrator;

  private constructor(
    private readonly options: LogOptions,
    private readonly shardList: ShardRecord[],
  ) {
    this.reader = new LogReader(options.storage, shardList, options.tileCacheSize);
    this.clock = options.clock ?? (() => new Date());
    this.integrator = options.integrator ?? inProcessIntegrator(options.storage, options.signer);
    this.sequencer = new Sequencer(options.sequencer, (batch) => this.integrate(batch));
  }

  /**
   * Opens the log in `storage`, creating the first shard (random tree ID) on an empty database.
   * Refuses a database whose active shard was signed by another key or for another hostname:
   * a restart must never change the log's identity.
   */
  static async open(options: LogOptions): Promise<TransparencyLog> {
    let shards = await options.storage.listShards();
    if (shards.length === 0) {
      await createFirstShard(options);
      shards = await options.storage.listShards();
    }
    const active = shards.find((s) => s.state === 'active');
    if (active === undefined) throw new LogIdentityError('the database has no active shard');
    if (!Buffer.from(active.publicKeyDer).equals(Buffer.from(options.signer.publicKeyDer))) {
      throw new LogIdentityError(
        `the signing key does not match the log in this database (log ID ${options.signer.logIdHex} given, ` +
          `the active shard ${active.treeId} was created with another key)`,
      );
    }
    if (active.signerName !== options.hostname) {
      throw new LogIdentityError(
        `the active shard ${active.treeId} signs checkpoints as "${active.signerName}"; start with --hostname ${active.signerName}`,
      );
    }
    return new TransparencyLog(options, shards);
  }

  get activeShard(): ShardRecord {
    return this.shardList.find((s) => s.state === 'active') as ShardRecord;
  }

  /** Oldest first. */
  get shards(): readonly ShardRecord[] {
    return this.shardList;
  }

  get publicKeyPem(): string {
    return this.options.signer.publicKeyPem;
  }

  /** Queues an entry for the active shard; resolves after it is durably integrated. */
  async add(entry: PendingEntry): Promise<AddResult> {
    const { outcome, shard, head } = await this.sequencer.submit(entry);
    if (outcome.status === 'duplicate') {
      return { status: 'duplicate', entryId: formatEntryId(outcome.treeId, outcome.leafHash) };
    }
    // The proof is built outside the flush, so the next batch need not wait for it.
    return { status: 'added', view: await this.reader.view(shard, outcome.entry, head) };
  }

  private async integrate(batch: PendingEntry[]): Promise<Integrated[]> {
    const shard = this.activeShard;
    const integratedTime = BigInt(Math.floor(this.clock().getTime() / 1000));
    const result = await this.integrator.integrate(shard.treeId, batch, integratedTime);
    for (const { tile, data } of result.tiles) this.reader.tiles.put(shard.treeId, tile, data);
    return result.outcomes.map((outcome) => ({ outcome, shard, head: result.head }));
  }

  /** Stops taking entries and waits for the queued ones to be integrated. */
  async close(): Promise<void> {
    await this.sequencer.close();
    await this.integrator.close();
  }

  /** The entry at a global index with a proof against its shard's current head, or null. */
  entryByGlobalIndex(globalIndex: bigint): Promise<EntryView | null> {
    return this.reader.entryByGlobalIndex(globalIndex);
  }

  /** Entries with this leaf hash: in the given tree, else the active shard first, then frozen ones. */
  entriesByLeafHash(leafHash: Uint8Array, treeId?: bigint): Promise<EntryView[]> {
    return this.reader.entriesByLeafHash(leafHash, treeId);
  }

  shardOf(treeId: bigint): ShardRecord | undefined {
    return this.reader.shardOf(treeId);
  }

  async head(treeId: bigint = this.activeShard.treeId): Promise<TreeHead> {
    const head = await this.options.storage.head(treeId);
    if (head === null) throw new RekorError('not_found', `no log range found for tree ID ${treeId}`);
    return head;
  }

  /** RFC 6962 consistency proof between two sizes of one shard, from its tiles. */
  consistencyProof(treeId: bigint, size1: bigint, size2: bigint): Promise<Uint8Array[]> {
    return this.reader.consistencyProof(treeId, size1, size2);
  }

  /** Search-index lookup: entry IDs per lower-cased key. */
  async searchIndex(keys: readonly string[]): Promise<Map<string, EntryId[]>> {
    const hits = await this.options.storage.searchIndex(keys);
    const ids = new Map<string, EntryId[]>();
    for (const [key, list] of hits) ids.set(key, list.map((h) => formatEntryId(h.treeId, h.leafHash)));
    return ids;
  }
}

function inProcessIntegrator(storage: LogStorage, signer: ShardSigner): Integrator {
  const seal = makeSealer(signer);
  return {
    integrate: (treeId, batch, integratedTime) => storage.integrate(treeId, batch, seal, integratedTime),
    close: async () => {},
  };
}

async function createFirstShard(options: LogOptions): Promise<void> {
  const treeId = randomTreeId();
  const shard: ShardRecord = {
    treeId,
    origin: `${options.hostname} - ${treeId}`,
    signerName: options.hostname,
    state: 'active',
    publicKeyDer: options.signer.publicKeyDer,
    startIndex: 0n,
    createdAt: options.clock?.() ?? new Date(),
  };
  const checkpoint = signEmptyHead(options.signer, shard, EMPTY_ROOT);
  await options.storage.createShard(shard, { treeId, size: 0n, rootHash: EMPTY_ROOT, checkpoint });
}

/** A random positive int64, as Trillian creates tree IDs. */
function randomTreeId(): bigint {
  for (;;) {
    const id = randomBytes(8).readBigUInt64BE() & ((1n << 63n) - 1n);
    if (id !== 0n) return id;
  }
}
