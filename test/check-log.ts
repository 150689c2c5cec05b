/**
 * checkLog: re-derives a shard from storage alone and checks every invariant the log promises.
 * Entries 0..size-1 exist with leaf = hashLeaf(body); the tiles hold exactly the hashes a
 * fresh append of those leaves produces; the head's root is the root of those leaves; the
 * head's checkpoint is signed by the shard key for that size and root; every SET verifies over
 * the global index. Tests call it after every step.
 */
import assert from 'node:assert/strict';
import { logIdOf, publicKeyFromDer, verifySET } from '../src/crypto/index.js';
import { appendLeaves, hashLeaf, type TileId } from '../src/merkle/index.js';
import { keyVerifier, verifyCheckpoint } from '../src/note/index.js';
import { tileKey, type LogStorage, type ShardRecord, type TreeHead } from '../src/log/index.js';

export async function checkLog(storage: LogStorage, shard: ShardRecord): Promise<TreeHead> {
  const head = await storage.head(shard.treeId);
  assert.ok(head, `shard ${shard.treeId} has a head`);
  const publicKey = publicKeyFromDer(shard.publicKeyDer);
  const logID = Buffer.from(logIdOf(shard.publicKeyDer)).toString('hex');

  const leaves: Uint8Array[] = [];
  for (let i = 0n; i < head.size; i++) {
    const found = await storage.entryByIndex(shard.treeId, i);
    assert.ok(found, `entry ${i} of ${head.size} exists`);
    const { entry } = found;
    assert.equal(found.head.size, head.size, `entry ${i}: read with the current head`);
    assert.deepEqual(Buffer.from(found.head.rootHash), Buffer.from(head.rootHash), `entry ${i}: read with the current root`);
    const leaf = hashLeaf(entry.body);
    assert.deepEqual(Buffer.from(entry.leafHash), Buffer.from(leaf), `entry ${i}: stored leaf hash matches body`);
    const setOk = verifySET(
      publicKey,
      { body: Buffer.from(entry.body).toString('base64'), integratedTime: entry.integratedTime, logID, logIndex: shard.startIndex + i },
      entry.signedEntryTimestamp,
    );
    assert.ok(setOk, `entry ${i}: SET verifies`);
    leaves.push(leaf);
  }
  assert.equal(await storage.entryByIndex(shard.treeId, head.size), null, 'no entry beyond the head');

  const fresh = appendLeaves(0n, [], leaves);
  assert.deepEqual(Buffer.from(head.rootHash), Buffer.from(fresh.root), 'head root is the root of the stored leaves');
  const wanted: TileId[] = fresh.tiles.map((t) => t.tile);
  const stored = await storage.readTiles(shard.treeId, wanted);
  for (const { tile, data } of fresh.tiles) {
    const got = stored.get(tileKey(tile));
    assert.ok(got, `tile ${tile.level}/${tile.index} stored`);
    assert.deepEqual(Buffer.from(got.subarray(0, data.length)), Buffer.from(data), `tile ${tile.level}/${tile.index} content`);
  }

  const verified = verifyCheckpoint(head.checkpoint, [keyVerifier({ name: shard.signerName, publicKey })], { mode: 'rekor-v1' });
  assert.equal(verified.checkpoint.origin, shard.origin, 'checkpoint origin');
  assert.equal(verified.checkpoint.size, head.size, 'checkpoint size');
  assert.deepEqual(Buffer.from(verified.checkpoint.rootHash), Buffer.from(head.rootHash), 'checkpoint root');
  return head;
}
