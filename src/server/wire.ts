/**
 * Rekor v1 JSON shapes, written by hand because indices are bigint (JSON integers of any size,
 * never rounded through Number) and because this is the hot path of every read. Members are
 * in Go's order (alphabetical), as Rekor emits them; bodies end with "\n" as Rekor's do.
 */
import type { EntryView, TreeHead, ShardRecord } from '../log/index.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
/** `"h1","h2",…`: one hex conversion for all of a proof's hashes rather than one per hash. */
function hexMembers(hashes: readonly Uint8Array[]): string {
  if (hashes.length === 0) return '';
  const size = hashes[0]?.length ?? 0;
  const all = Buffer.concat(hashes).toString('hex');
  if (hashes.some((h) => h.length !== size)) return hashes.map((h) => `"${hex(h)}"`).join(',');
  let out = '';
  for (let at = 0; at < all.length; at += 2 * size) out += (at === 0 ? '"' : ',"') + all.slice(at, at + 2 * size) + '"';
  return out;
}
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/**
 * The last head's encoded checkpoint and root hash: consecutive reads are mostly against one head
 * (the storage hands out the same objects for it), and its ~400-byte checkpoint is the costliest
 * string to escape in an entry.
 */
let lastHead: { checkpoint: string; checkpointJson: string; rootHash: Uint8Array; rootHex: string } | undefined;

function headJson(checkpoint: string, rootHash: Uint8Array): { checkpointJson: string; rootHex: string } {
  if (lastHead?.checkpoint !== checkpoint || lastHead.rootHash !== rootHash) {
    lastHead = { checkpoint, checkpointJson: JSON.stringify(checkpoint), rootHash, rootHex: hex(rootHash) };
  }
  return lastHead;
}

/** The value of a LogEntry map: `{"body":…,"integratedTime":…,…}`. */
export function logEntryValueJson(view: EntryView, withAttestation = true): string {
  const { entry, proof } = view;
  const attestation = withAttestation ? entry.attestation : undefined;
  const hashes = hexMembers(proof.hashes);
  const { checkpointJson, rootHex } = headJson(proof.checkpoint, proof.rootHash);
  return (
    '{' +
    (attestation === undefined ? '' : `"attestation":{"data":"${b64(attestation)}"},`) +
    `"body":"${b64(entry.body)}",` +
    `"integratedTime":${entry.integratedTime},` +
    `"logID":"${view.logIdHex}",` +
    `"logIndex":${view.globalIndex},` +
    '"verification":{"inclusionProof":{' +
    `"checkpoint":${checkpointJson},` +
    `"hashes":[${hashes}],` +
    `"logIndex":${entry.index},` +
    `"rootHash":"${rootHex}",` +
    `"treeSize":${proof.treeSize}},` +
    `"signedEntryTimestamp":"${b64(entry.signedEntryTimestamp)}"}}`
  );
}

/** One LogEntry: a map with one member, keyed by the EntryID. */
export function logEntryJson(view: EntryView, withAttestation = true): string {
  return `{"${view.entryId}":${logEntryValueJson(view, withAttestation)}}`;
}

export function logInfoJson(active: TreeHead, inactive: ReadonlyArray<{ shard: ShardRecord; head: TreeHead }>): string {
  const shards =
    inactive.length === 0
      ? 'null'
      : '[' +
        inactive
          .map(
            ({ shard, head }) =>
              `{"rootHash":"${hex(head.rootHash)}","signedTreeHead":${JSON.stringify(head.checkpoint)},` +
              `"treeID":"${shard.treeId}","treeSize":${head.size}}`,
          )
          .join(',') +
        ']';
  return (
    `{"inactiveShards":${shards},"rootHash":"${hex(active.rootHash)}",` +
    `"signedTreeHead":${JSON.stringify(active.checkpoint)},"treeID":"${active.treeId}","treeSize":${active.size}}\n`
  );
}

export function consistencyProofJson(hashes: readonly Uint8Array[], rootHash: Uint8Array): string {
  return `{"hashes":[${hexMembers(hashes)}],"rootHash":"${hex(rootHash)}"}\n`;
}

export { hex as toHex, b64 as toBase64 };
