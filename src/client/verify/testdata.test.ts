/**
 * Every Rekor entry and bundle under shared testdata reaches the verdict INDEX.json states, with
 * the trusted root of its instance, and each invalid one fails with the code of the check it was
 * built to break (NOTES.md, "Per-entry results"). Valid entries verify exactly the parts the
 * table lists as present.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { readIndex, testdataPath, type IndexRecord } from '../../../test/testdata.js';
import {
  isVerificationError,
  loadTrust,
  verifyBundle,
  verifyLogEntry,
  type TlogEntryVerification,
  type TrustedLogs,
} from './index.js';
import { B, WANT_ERROR } from './testdata-cases.js';

const trust: Record<string, TrustedLogs> = {
  production: loadTrust(readFileSync(testdataPath('trust', 'production', 'trusted_root.json'), 'utf8')),
  staging: loadTrust(readFileSync(testdataPath('trust', 'staging', 'trusted_root.json'), 'utf8')),
};

const KINDS = ['sigstore-bundle', 'rekor-api-logentry', 'rekor-api-logentry-array'];

interface Expectation {
  instance: 'production' | 'staging';
  baseUrl: string;
  parts: { inclusionProof: boolean; checkpoint: boolean; signedEntryTimestamp: boolean };
}

/** Instance, log and present parts, from the "our node:crypto check" note of each file. */
function expectationOf(record: IndexRecord): Expectation {
  const check = /our node:crypto check: (production|staging) (\S+), [^,]+, inclusion=([^,]+), checkpoint=(.+?), SET=(\w+)/.exec(record.notes);
  assert.ok(check, `no verification note for ${record.file}`);
  const [, instance, baseUrl, inclusion, checkpoint, set] = check as unknown as [string, Expectation['instance'], string, string, string, string];
  return {
    instance,
    baseUrl,
    parts: { inclusionProof: inclusion !== 'absent', checkpoint: !/^(absent|n\/a)/.test(checkpoint), signedEntryTimestamp: set !== 'absent' },
  };
}

function verifyFile(record: IndexRecord, logs: TrustedLogs): TlogEntryVerification[] {
  const text = readFileSync(testdataPath(record.file), 'utf8');
  if (record.kind === 'sigstore-bundle') return verifyBundle(text, logs).tlogEntries;
  if (record.kind === 'rekor-api-logentry') return [verifyLogEntry(text, logs)];
  return (JSON.parse(text) as unknown[]).map((entry) => verifyLogEntry(entry, logs));
}

describe('entry and bundle testdata verdicts', () => {
  const records = readIndex().filter((r) => KINDS.includes(r.kind));

  it('covers every entry fixture, with a reason for every invalid one', () => {
    assert.equal(records.length, 56);
    for (const r of records) assert.equal(r.expected === 'invalid', WANT_ERROR[r.file] !== undefined, r.file);
  });

  for (const record of records) {
    it(`${record.file} is ${record.expected}`, () => {
      const want = expectationOf(record);
      const logs = trust[want.instance] as TrustedLogs;
      if (record.expected === 'invalid') {
        const code = WANT_ERROR[record.file];
        assert.throws(() => verifyFile(record, logs), (err: unknown) => isVerificationError(err, code), `want ${code}`);
        return;
      }
      for (const result of verifyFile(record, logs)) {
        assert.equal(result.log.baseUrl, want.baseUrl);
        const { inclusionProof, checkpoint, signedEntryTimestamp } = result.verified;
        assert.deepEqual({ inclusionProof, checkpoint, signedEntryTimestamp }, want.parts);
        assert.equal(result.verified.entryUuid, record.kind !== 'sigstore-bundle');
      }
    });
  }
});

describe('instance and trusted-root variants', () => {
  const bundle = (file: string) => readFileSync(testdataPath(B, file), 'utf8');

  it('a staging bundle is not valid against the production trusted root', () => {
    const text = bundle('staging-v1/conformance-bundle-from-wrong-instance_fail.sigstore.json');
    assert.throws(() => verifyBundle(text, trust['production'] as TrustedLogs), (err: unknown) => isVerificationError(err, 'NO_TRUSTED_LOG'));
  });

  it('Rekor v2 conformance bundles verify with their companion trusted root too', () => {
    const root = readFileSync(testdataPath(B, 'rekor-v2', 'conformance-rekor2-happy-path.trusted_root.json'), 'utf8');
    const result = verifyBundle(bundle('rekor-v2/conformance-rekor2-happy-path.sigstore.json'), root);
    assert.equal(result.bundleVersion, '0.3');
    assert.equal(result.tlogEntries[0]?.checkpoint?.origin, 'log2025-alpha1.rekor.sigstage.dev');
  });

  it('reports both indices of a sharded v1 entry: global for the SET, shard-local for the proof', () => {
    const entry = readFileSync(testdataPath('entries', 'rekor-v1-api', 'staging', 'hashedrekord-1688.json'), 'utf8');
    const result = verifyLogEntry(entry, trust['staging'] as TrustedLogs);
    assert.equal(result.logIndex, 1688n);
    assert.equal(result.checkpoint?.origin, 'rekor.sigstage.dev - 108574341321668964');
    assert.equal(result.kind, 'hashedrekord');
  });
});
