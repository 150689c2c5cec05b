/**
 * Every standalone checkpoint under shared testdata (kind checkpoint-note) reaches the verdict
 * INDEX.json states, and each invalid one fails for the reason it was built to fail. Keys and
 * signer names come from trust/rekor-logs.json; upstream parser fixtures are production v1.
 */
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { readIndex, testdataPath } from '../../test/testdata.js';
import { isNoteError, keyVerifier, verifyCheckpoint, type NoteErrorCode, type NoteVerifier } from './index.js';

interface LogSummary {
  baseUrl: string;
  checkpointKeyHintHex: string;
  checkpointSignerName: string;
  observedCheckpointOrigins: string[];
  publicKeyPem: string;
}

const logs = (JSON.parse(readFileSync(testdataPath('trust', 'rekor-logs.json'), 'utf8')) as { logs: LogSummary[] }).logs;

/** Why each invalid checkpoint must fail. */
const WANT_ERROR: Record<string, NoteErrorCode> = {
  'checkpoints/extracted/production-v1-bad-keyhint.txt': 'no_matching_signature',
  'checkpoints/extracted/production-v1-bad-signature.txt': 'bad_signature',
  'checkpoints/extracted/staging-v2-missing-log-signature.txt': 'malformed',
  'checkpoints/extracted/staging-v2-missing-origin.txt': 'malformed',
  'checkpoints/extracted/staging-v2-missing-root-hash.txt': 'malformed',
  'checkpoints/extracted/staging-v2-missing-size.txt': 'malformed',
  'checkpoints/extracted/staging-v2-no-matching-signature.txt': 'no_matching_signature',
  'checkpoints/sigstore-java/error_header_body_separator.txt': 'malformed',
  'checkpoints/sigstore-java/error_header_count.txt': 'malformed',
  'checkpoints/sigstore-java/error_no_newline_after_signature.txt': 'malformed',
  'checkpoints/sigstore-java/error_no_signatures.txt': 'malformed',
  'checkpoints/sigstore-java/error_not_a_number.txt': 'malformed',
  'checkpoints/sigstore-java/error_signature_format_invalid.txt': 'malformed',
  'checkpoints/sigstore-java/error_signature_length_insufficient.txt': 'malformed',
};

function logFor(notes: string): LogSummary {
  const url = /Verify with the key of (https:\/\/[^ ]+) /.exec(notes)?.[1] ?? 'https://rekor.sigstore.dev';
  const log = logs.find((l) => l.baseUrl === url);
  assert.ok(log, `no log summary for ${url}`);
  return log;
}

function verifierFor(log: LogSummary): NoteVerifier {
  return keyVerifier({
    name: log.checkpointSignerName,
    publicKey: createPublicKey(log.publicKeyPem),
    keyId: Buffer.from(log.checkpointKeyHintHex, 'hex'),
  });
}

describe('checkpoint testdata verdicts', () => {
  const records = readIndex().filter((r) => r.kind === 'checkpoint-note');
  it('covers every checkpoint fixture', () => {
    assert.equal(records.length, 26);
    for (const r of records) if (r.expected === 'invalid') assert.ok(WANT_ERROR[r.file], `no expected error for ${r.file}`);
  });

  for (const record of records) {
    it(`${record.file} is ${record.expected}`, () => {
      const log = logFor(record.notes);
      const note = readFileSync(testdataPath(record.file));
      if (record.expected === 'valid') {
        const { checkpoint, verified } = verifyCheckpoint(note, [verifierFor(log)]);
        assert.ok(log.observedCheckpointOrigins.includes(checkpoint.origin), checkpoint.origin);
        assert.ok(verified.length >= 1);
        assert.ok(verified.every((sig) => sig.name === log.checkpointSignerName));
        return;
      }
      const want = WANT_ERROR[record.file];
      assert.throws(() => verifyCheckpoint(note, [verifierFor(log)]), (err: unknown) => isNoteError(err, want));
    });
  }
});

describe('verification modes', () => {
  const production = logs.find((l) => l.baseUrl === 'https://rekor.sigstore.dev')!;
  const staging2 = logs.find((l) => l.baseUrl === 'https://log2025-alpha1.rekor.sigstage.dev')!;
  const read = (file: string) => readFileSync(testdataPath('checkpoints', file), 'utf8');

  it('c2sp skips a same-hint line under another name; rekor-v1 mode rejects it', () => {
    const note = read('sigstore-java/valid_multi_sig.txt');
    assert.equal(verifyCheckpoint(note, [verifierFor(production)]).verified.length, 1);
    assert.throws(() => verifyCheckpoint(note, [verifierFor(production)], { mode: 'rekor-v1' }), (err: unknown) => isNoteError(err, 'bad_signature'));
  });

  it('rekor-v1 mode rejects foreign witness lines; c2sp ignores them', () => {
    const note = read('extracted/staging-v2-witness-cosigs.txt');
    assert.equal(verifyCheckpoint(note, [verifierFor(staging2)]).verified.length, 1);
    assert.throws(() => verifyCheckpoint(note, [verifierFor(staging2)], { mode: 'rekor-v1' }), (err: unknown) => isNoteError(err, 'no_matching_signature'));
  });

  it('a line by the right key under the wrong name does not count', () => {
    const note = read('extracted/production-v1-tree2605736670972794746.txt');
    const wrongName = keyVerifier({ name: 'rekor.example', publicKey: createPublicKey(production.publicKeyPem), keyIdStyle: 'rekor-v1' });
    assert.throws(() => verifyCheckpoint(note, [wrongName]), (err: unknown) => isNoteError(err, 'no_matching_signature'));
  });

  it('derives key IDs by rule: v1 hint for ECDSA, C2SP for Ed25519', () => {
    const byRule = (log: LogSummary) =>
      Buffer.from(keyVerifier({ name: log.checkpointSignerName, publicKey: createPublicKey(log.publicKeyPem) }).keyId).toString('hex');
    for (const log of logs) assert.equal(byRule(log), log.checkpointKeyHintHex, log.baseUrl);
  });
});
