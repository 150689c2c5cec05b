/**
 * Test kit (used only by *.test.ts here): a tiny in-memory log that signs checkpoints and SETs
 * with a generated key, so tests can build valid v1 API entries, bundles and trusted roots, then
 * break one thing at a time. Proofs come from a ten-line RFC 6962 reference, not from src/merkle.
 */
import { generateSignerKey, logIdOf, toHex, checkpointSigner, signSET, type LogSigner, type LogSignerAlgorithm } from '../../crypto/index.js';
import { encodeStdBase64, noteKeyHash, signCheckpoint, type KeyIdStyle } from '../../note/index.js';
import { createHash } from 'node:crypto';

const sha256 = (...parts: Uint8Array[]) => Uint8Array.from(parts.reduce((h, p) => h.update(p), createHash('sha256')).digest());
const hashLeaf = (data: Uint8Array) => sha256(Uint8Array.of(0), data);
const hashChildren = (left: Uint8Array, right: Uint8Array) => sha256(Uint8Array.of(1), left, right);

export interface FakeLog {
  signer: LogSigner;
  name: string;
  origin: string;
  style: KeyIdStyle;
  /** Added to shard-local indices to make the global index. */
  offset: bigint;
  bodies: Uint8Array[];
  logId: Uint8Array;
  integratedTime: bigint;
}

function mth(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaves[0] as Uint8Array;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return hashChildren(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

function path(m: number, leaves: Uint8Array[]): Uint8Array[] {
  if (leaves.length <= 1) return [];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return m < k ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))] : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

export function createFakeLog(options: { algorithm?: LogSignerAlgorithm; v2?: boolean; size?: number; offset?: bigint; kind?: string } = {}): FakeLog {
  const { signer } = generateSignerKey(options.algorithm ?? (options.v2 === true ? 'ed25519' : 'ecdsa-p256'));
  const v2 = options.v2 === true;
  const name = v2 ? 'log2099.rekor.test' : 'rekor.test';
  const [kind, apiVersion] = (options.kind ?? (v2 ? 'hashedrekord/0.0.2' : 'hashedrekord/0.0.1')).split('/');
  const bodies = Array.from({ length: options.size ?? 7 }, (_, i) =>
    new TextEncoder().encode(`{"apiVersion":"${apiVersion}","kind":"${kind}","spec":{"n":${i}}}`),
  );
  return {
    signer,
    name,
    origin: v2 ? name : `${name} - 42`,
    style: v2 ? 'c2sp' : 'rekor-v1',
    offset: options.offset ?? 0n,
    bodies,
    logId: v2 ? noteKeyHash(signer.publicKey, name, 'c2sp') : logIdOf(signer.publicKeyDer),
    integratedTime: 1700000000n,
  };
}

export interface ProofParts {
  leafHashes: Uint8Array[];
  rootHash: Uint8Array;
  hashes: Uint8Array[];
  checkpoint: string;
}

export function proofFor(log: FakeLog, index: number, size = log.bodies.length): ProofParts {
  const leafHashes = log.bodies.slice(0, size).map((body) => hashLeaf(body));
  const rootHash = mth(leafHashes);
  const checkpoint = signCheckpoint(
    { origin: log.origin, size: BigInt(size), rootHash },
    checkpointSigner(log.signer, log.name, log.style),
  );
  return { leafHashes, rootHash, hashes: path(index, leafHashes), checkpoint };
}

export function setFor(log: FakeLog, index: number, globalIndex = log.offset + BigInt(index)): Uint8Array {
  const body = encodeStdBase64(log.bodies[index] as Uint8Array);
  return signSET(log.signer, { body, integratedTime: log.integratedTime, logID: toHex(log.logId), logIndex: globalIndex });
}

/** A Rekor v1 API LogEntry `{ "<treeID16><uuid>": {...} }` for the entry at shard index `index`. */
export function apiEntry(log: FakeLog, index: number): Record<string, Record<string, unknown>> {
  const body = log.bodies[index] as Uint8Array;
  const proof = proofFor(log, index);
  const uuid = '000000000000002a' + toHex(hashLeaf(body));
  return {
    [uuid]: {
      body: encodeStdBase64(body),
      integratedTime: Number(log.integratedTime),
      logID: toHex(log.logId),
      logIndex: Number(log.offset) + index,
      verification: {
        inclusionProof: {
          checkpoint: proof.checkpoint,
          hashes: proof.hashes.map(toHex),
          logIndex: index,
          rootHash: toHex(proof.rootHash),
          treeSize: log.bodies.length,
        },
        signedEntryTimestamp: encodeStdBase64(setFor(log, index)),
      },
    },
  };
}

/** A bundle (protobuf JSON) holding the entry at shard index `index`. */
export function bundleFor(log: FakeLog, index: number, mediaType = 'application/vnd.dev.sigstore.bundle.v0.3+json'): Record<string, unknown> {
  const body = log.bodies[index] as Uint8Array;
  const proof = proofFor(log, index);
  const [kind, version] = [/"kind":"([^"]+)"/, /"apiVersion":"([^"]+)"/].map((re) => re.exec(new TextDecoder().decode(body))?.[1]);
  const v2 = log.style === 'c2sp';
  const entry: Record<string, unknown> = {
    logIndex: String(log.offset + BigInt(index)),
    logId: { keyId: encodeStdBase64(log.logId) },
    kindVersion: { kind, version },
    integratedTime: v2 ? '0' : String(log.integratedTime),
    inclusionProof: {
      logIndex: String(index),
      rootHash: encodeStdBase64(proof.rootHash),
      treeSize: String(log.bodies.length),
      hashes: proof.hashes.map(encodeStdBase64),
      checkpoint: { envelope: proof.checkpoint },
    },
    canonicalizedBody: encodeStdBase64(body),
  };
  if (!v2) entry['inclusionPromise'] = { signedEntryTimestamp: encodeStdBase64(setFor(log, index)) };
  return { mediaType, verificationMaterial: { tlogEntries: [entry] }, messageSignature: {} };
}

/** A trusted_root.json object with this log; `rawBytes` overrides the SPKI (e.g. PKCS#1 for RSA). */
export function trustedRootFor(log: FakeLog, extra: { rawBytes?: Uint8Array; keyDetails?: string; validFor?: object } = {}): Record<string, unknown> {
  const details = extra.keyDetails ?? { 'ecdsa-p256': 'PKIX_ECDSA_P256_SHA_256', ed25519: 'PKIX_ED25519', rsa: 'PKIX_RSA_PKCS1V15_3072_SHA256' }[log.signer.algorithm as string];
  return {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: `https://${log.name}`,
        hashAlgorithm: 'SHA2_256',
        publicKey: {
          rawBytes: encodeStdBase64(extra.rawBytes ?? log.signer.publicKeyDer),
          keyDetails: details,
          validFor: extra.validFor ?? { start: '2021-01-01T00:00:00Z' },
        },
        logId: { keyId: encodeStdBase64(log.logId) },
      },
    ],
  };
}
