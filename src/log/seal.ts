/**
 * What the log signs: a Signed Entry Timestamp per new entry and one checkpoint per integrated
 * batch, both with the active shard's key. Runs inside the integration transaction, so it is
 * synchronous and does no I/O.
 */
import { keyHintOf, logIdOf, signSET, type LogSigner } from '../crypto/index.js';
import { signCheckpoint } from '../note/index.js';
import type { Sealer, ShardRecord } from './storage.js';

/** A log signer with the identifiers derived from its key, computed once. */
export interface ShardSigner extends LogSigner {
  readonly logIdHex: string;
  readonly keyHint: Uint8Array;
}

export function shardSigner(signer: LogSigner): ShardSigner {
  return {
    publicKey: signer.publicKey,
    publicKeyDer: signer.publicKeyDer,
    publicKeyPem: signer.publicKeyPem,
    algorithm: signer.algorithm,
    sign: (data) => signer.sign(data),
    logIdHex: Buffer.from(logIdOf(signer.publicKeyDer)).toString('hex'),
    keyHint: keyHintOf(signer.publicKeyDer),
  };
}

export function makeSealer(signer: ShardSigner): Sealer {
  return ({ shard, integratedTime, entries, size, rootHash }) => ({
    signedEntryTimestamps: entries.map((e) =>
      signSET(signer, {
        body: Buffer.from(e.body).toString('base64'),
        integratedTime,
        logID: signer.logIdHex,
        logIndex: shard.startIndex + e.index,
      }),
    ),
    checkpoint: signHead(signer, shard, size, rootHash),
  });
}

export function signEmptyHead(signer: ShardSigner, shard: ShardRecord, emptyRoot: Uint8Array): string {
  return signHead(signer, shard, 0n, emptyRoot);
}

function signHead(signer: ShardSigner, shard: ShardRecord, size: bigint, rootHash: Uint8Array): string {
  return signCheckpoint(
    { origin: shard.origin, size, rootHash },
    { name: shard.signerName, keyId: signer.keyHint, sign: (msg) => signer.sign(msg) },
  );
}
