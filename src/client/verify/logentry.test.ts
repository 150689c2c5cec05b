/**
 * verifyLogEntry on entries of a fake sharded v1 log: every index verifies, and each single
 * breakage fails with the code of the broken check. Also trust given as plain keys, the
 * validity period of a key, and required parts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateSignerKey, checkpointSigner, toHex } from '../../crypto/index.js';
import { encodeStdBase64, signCheckpoint } from '../../note/index.js';
import { apiEntry, createFakeLog, proofFor, setFor, trustedRootFor } from './fake-log.testkit.js';
import { isVerificationError, verifyLogEntry, type TrustInput, type VerificationErrorCode } from './index.js';

const log = createFakeLog({ size: 7, offset: 1000n });
const trust = [{ publicKey: log.signer.publicKeyPem, baseUrl: 'https://rekor.test' }];

type Entry = Record<string, Record<string, unknown>>;
type Value = Record<string, unknown> & { verification: { inclusionProof: Record<string, unknown>; signedEntryTimestamp?: string } };

/** A fresh entry for shard index 3 and its inner value, to break. */
function entry3(): { entry: Entry; value: Value } {
  const entry = apiEntry(log, 3);
  return { entry, value: Object.values(entry)[0] as Value };
}

const other = generateSignerKey().signer;
const BREAKAGES: { name: string; breakIt: (e: { entry: Entry; value: Value }) => unknown; want: VerificationErrorCode }[] = [
  { name: 'uuid of another body', breakIt: ({ value }) => ({ ['0'.repeat(16) + toHex(new Uint8Array(32))]: value }), want: 'BODY_HASH_MISMATCH' },
  { name: 'body changed (uuid kept)', breakIt: ({ entry, value }) => ((value.body = encodeStdBase64(log.bodies[4]!)), entry), want: 'BODY_HASH_MISMATCH' },
  { name: 'body changed (no uuid)', breakIt: ({ value }) => ((value.body = encodeStdBase64(log.bodies[4]!)), value), want: 'INCLUSION_PROOF_INVALID' },
  {
    name: 'proof hash flipped',
    breakIt: ({ entry, value }) => {
      const hashes = value.verification.inclusionProof['hashes'] as string[];
      hashes[1] = (hashes[1]!.startsWith('0') ? '1' : '0') + hashes[1]!.slice(1);
      return entry;
    },
    want: 'INCLUSION_PROOF_INVALID',
  },
  { name: 'proof with the global index', breakIt: ({ entry, value }) => ((value.verification.inclusionProof['logIndex'] = 1003), entry), want: 'INCLUSION_PROOF_INVALID' },
  { name: 'proof hash dropped', breakIt: ({ entry, value }) => ((value.verification.inclusionProof['hashes'] as string[]).pop(), entry), want: 'INCLUSION_PROOF_INVALID' },
  {
    name: 'checkpoint for another tree',
    breakIt: ({ entry, value }) => {
      const smaller = proofFor(log, 3, 5);
      Object.assign(value.verification.inclusionProof, { checkpoint: smaller.checkpoint });
      return entry;
    },
    want: 'CHECKPOINT_MISMATCH',
  },
  {
    name: 'checkpoint signed by another key',
    breakIt: ({ entry, value }) => {
      const cp = { origin: log.origin, size: 7n, rootHash: proofFor(log, 3).rootHash };
      value.verification.inclusionProof['checkpoint'] = signCheckpoint(cp, checkpointSigner(other, log.name));
      return entry;
    },
    want: 'CHECKPOINT_INVALID',
  },
  {
    name: 'checkpoint signer name not in the log URL',
    breakIt: ({ entry, value }) => {
      const cp = { origin: log.origin, size: 7n, rootHash: proofFor(log, 3).rootHash };
      value.verification.inclusionProof['checkpoint'] = signCheckpoint(cp, checkpointSigner(log.signer, 'evil.example'));
      return entry;
    },
    want: 'CHECKPOINT_INVALID',
  },
  { name: 'checkpoint garbage', breakIt: ({ entry, value }) => ((value.verification.inclusionProof['checkpoint'] = 'hello\n'), entry), want: 'CHECKPOINT_MALFORMED' },
  { name: 'SET over the shard index', breakIt: ({ entry, value }) => ((value.verification.signedEntryTimestamp = encodeStdBase64(setFor(log, 3, 3n))), entry), want: 'SET_INVALID' },
  { name: 'integratedTime moved', breakIt: ({ entry, value }) => ((value['integratedTime'] = 1700000001), entry), want: 'SET_INVALID' },
  { name: 'unknown log ID', breakIt: ({ entry, value }) => ((value['logID'] = 'ab'.repeat(32)), entry), want: 'NO_TRUSTED_LOG' },
  { name: 'negative logIndex', breakIt: ({ entry, value }) => ((value['logIndex'] = -1), entry), want: 'MALFORMED' },
  { name: 'logIndex above 2^53 as a JSON number', breakIt: ({ entry, value }) => ((value['logIndex'] = 2 ** 60), entry), want: 'MALFORMED' },
  { name: 'body not base64', breakIt: ({ entry, value }) => ((value.body = 'not base64!'), entry), want: 'MALFORMED' },
  { name: 'rootHash not hex', breakIt: ({ entry, value }) => ((value.verification.inclusionProof['rootHash'] = 'zz'), entry), want: 'MALFORMED' },
  { name: 'two uuid keys', breakIt: ({ entry, value }) => ({ ...entry, ['1'.repeat(64)]: value }), want: 'MALFORMED' },
  { name: 'not JSON', breakIt: () => '{"', want: 'MALFORMED' },
  {
    name: 'proof without checkpoint and no SET',
    breakIt: ({ entry, value }) => {
      delete value.verification.inclusionProof['checkpoint'];
      delete value.verification.signedEntryTimestamp;
      return entry;
    },
    want: 'UNSIGNED_ENTRY',
  },
];

describe('verifyLogEntry on a fake log', () => {
  it('verifies every entry, SET over the global index and proof over the shard index', () => {
    for (let i = 0; i < log.bodies.length; i++) {
      const result = verifyLogEntry(apiEntry(log, i), trust);
      assert.equal(result.logIndex, 1000n + BigInt(i));
      assert.deepEqual(result.verified, { entryUuid: true, inclusionProof: true, checkpoint: true, signedEntryTimestamp: true });
      assert.equal(result.checkpoint?.origin, 'rekor.test - 42');
    }
  });

  it('accepts the inner value, and JSON text', () => {
    const { entry, value } = entry3();
    assert.equal(verifyLogEntry(value, trust).verified.entryUuid, false);
    assert.equal(verifyLogEntry(JSON.stringify(entry), trust).verified.entryUuid, true);
  });

  for (const c of BREAKAGES) {
    it(`fails: ${c.name}`, () => {
      const broken = c.breakIt(entry3());
      assert.throws(() => verifyLogEntry(broken, trust), (err: unknown) => isVerificationError(err, c.want));
    });
  }
});

describe('parts present and required', () => {
  it('an entry with only a SET, or only a proof and checkpoint, verifies what it has', () => {
    const setOnly = entry3();
    delete (setOnly.value as { verification: { inclusionProof?: unknown } }).verification.inclusionProof;
    assert.deepEqual(verifyLogEntry(setOnly.entry, trust).verified, { entryUuid: true, inclusionProof: false, checkpoint: false, signedEntryTimestamp: true });
    const proofOnly = entry3();
    delete proofOnly.value.verification.signedEntryTimestamp;
    assert.equal(verifyLogEntry(proofOnly.entry, trust).verified.checkpoint, true);
    assert.throws(() => verifyLogEntry(proofOnly.entry, trust, { require: { signedEntryTimestamp: true } }), (err: unknown) => isVerificationError(err, 'SET_MISSING'));
    assert.throws(() => verifyLogEntry(setOnly.entry, trust, { require: { inclusionProof: true } }), (err: unknown) => isVerificationError(err, 'INCLUSION_PROOF_MISSING'));
  });
});

describe('trust variants', () => {
  const variants: { name: string; trust: TrustInput; want?: VerificationErrorCode }[] = [
    { name: 'plain key with exact name', trust: [{ publicKey: log.signer.publicKey, name: 'rekor.test' }] },
    { name: 'plain key with exact origin', trust: [{ publicKey: log.signer.publicKeyDer, origin: 'rekor.test - 42' }] },
    { name: 'plain key with another origin', trust: [{ publicKey: log.signer.publicKeyPem, origin: 'rekor.test - 43' }], want: 'CHECKPOINT_INVALID' },
    { name: 'plain key with another name', trust: [{ publicKey: log.signer.publicKeyPem, name: 'rekor.tes' }], want: 'CHECKPOINT_INVALID' },
    { name: 'plain key without any name', trust: [{ publicKey: log.signer.publicKeyPem }] },
    { name: 'trusted root (object)', trust: trustedRootFor(log) },
    { name: 'trusted root (text)', trust: JSON.stringify(trustedRootFor(log)) },
    { name: 'key expired before the entry', trust: trustedRootFor(log, { validFor: { start: '2020-01-01T00:00:00Z', end: '2022-01-01T00:00:00Z' } }), want: 'NO_TRUSTED_LOG' },
    { name: 'key valid only after the entry', trust: [{ publicKey: log.signer.publicKeyPem, name: 'rekor.test', validFor: { start: new Date('2030-01-01') } }], want: 'NO_TRUSTED_LOG' },
    { name: 'another log only', trust: [{ publicKey: generateSignerKey().signer.publicKeyPem, name: 'rekor.test' }], want: 'NO_TRUSTED_LOG' },
    { name: 'unparseable trusted root', trust: '{"tlogs": 1}', want: 'INVALID_TRUST' },
    { name: 'unparseable plain key', trust: [{ publicKey: 'not a key' }], want: 'INVALID_TRUST' },
  ];
  for (const v of variants) {
    it(`${v.name}: ${v.want ?? 'verifies'}`, () => {
      if (v.want === undefined) assert.equal(verifyLogEntry(apiEntry(log, 2), v.trust).verified.checkpoint, true);
      else assert.throws(() => verifyLogEntry(apiEntry(log, 2), v.trust), (err: unknown) => isVerificationError(err, v.want));
    });
  }
});
