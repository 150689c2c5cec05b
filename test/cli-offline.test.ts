/**
 * `rekor-cli verify --offline` reaches the INDEX.json verdict on every production and staging
 * entry and bundle in shared testdata, with the trusted root of its instance, and fails each
 * invalid one on the check it was built to break (the case list of the library-level test in
 * src/client/verify/testdata.test.ts). Every file goes through the CLI's own entry point (flag
 * parsing, output, exit code) in-process to keep the suite quick; a valid and an invalid file of
 * each kind also go through the real binary as a child process.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { WANT_ERROR } from '../src/client/verify/testdata-cases.js';
import { main } from '../src/cli/program.js';
import { runCli } from './cli-process.js';
import { readIndex, testdataPath, type IndexRecord } from './testdata.js';

const KINDS = ['sigstore-bundle', 'rekor-api-logentry', 'rekor-api-logentry-array'];

function instanceOf(record: IndexRecord): 'production' | 'staging' {
  const match = /our node:crypto check: (production|staging) /.exec(record.notes);
  assert.ok(match, `no verification note for ${record.file}`);
  return match[1] as 'production' | 'staging';
}

function argsFor(record: IndexRecord): string[] {
  const root = testdataPath('trust', instanceOf(record), 'trusted_root.json');
  const input = record.kind === 'sigstore-bundle' ? '--bundle' : '--entry';
  return ['verify', '--offline', input, testdataPath(record.file), '--trusted-root', root];
}

async function runInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'rekor-cli', ...args], (t) => (stdout += t), (t) => (stderr += t));
  return { code, stdout, stderr };
}

describe('rekor-cli verify --offline on shared testdata', () => {
  const records = readIndex().filter((r) => KINDS.includes(r.kind));
  const home = mkdtempSync(join(tmpdir(), 'rekor-cli-offline-'));
  after(() => rmSync(home, { recursive: true, force: true }));

  it('covers every entry fixture', () => {
    assert.equal(records.length, 56);
  });

  it('reaches every verdict through the CLI entry point', async () => {
    for (const record of records) {
      const { code, stdout, stderr } = await runInProcess(argsFor(record));
      if (record.expected === 'valid') {
        assert.equal(code, 0, `${record.file}: ${stderr}`);
        assert.match(stdout, /^Verification Successful! \(offline\)\n/, record.file);
      } else {
        assert.equal(code, 1, `${record.file}: exit ${code}: ${stdout}`);
        const want = WANT_ERROR[record.file] as string;
        assert.match(stderr, new RegExp(`^verification failed: .+ \\[${want}\\]\\n$`), record.file);
        assert.equal(stdout, '', record.file);
      }
    }
  });

  it('a staging bundle fails against the production trusted root', async () => {
    const bundle = testdataPath('entries', 'bundles', 'staging-v1', 'conformance-bundle-from-wrong-instance_fail.sigstore.json');
    const { code, stderr } = await runInProcess(['verify', '--offline', '--bundle', bundle, '--trusted-root', testdataPath('trust', 'production', 'trusted_root.json')]);
    assert.equal(code, 1);
    assert.match(stderr, /no trusted log has log ID .* \[NO_TRUSTED_LOG\]/);
  });

  it('the real binary agrees on a valid and an invalid file of each kind, and reports JSON', async () => {
    const picks: IndexRecord[] = [];
    for (const kind of KINDS) {
      for (const expected of ['valid', 'invalid'] as const) {
        const pick = records.find((r) => r.kind === kind && r.expected === expected);
        if (pick !== undefined) picks.push(pick);
      }
    }
    assert.ok(picks.length >= 4);
    const runs = await Promise.all(picks.map((r) => runCli(['--format', 'json', ...argsFor(r)], { home })));
    picks.forEach((record, i) => {
      const run = runs[i] as Awaited<ReturnType<typeof runCli>>;
      if (record.expected === 'valid') {
        assert.equal(run.code, 0, `${record.file}: ${run.stderr}`);
        const out = JSON.parse(run.stdout) as { Verified: boolean; Entries: { UUID: string }[] };
        assert.equal(out.Verified, true);
        assert.ok(out.Entries.length >= 1 && /^[0-9a-f]{64}$/.test(out.Entries[0]?.UUID ?? ''));
      } else {
        assert.equal(run.code, 1, record.file);
        assert.match(run.stderr, new RegExp(`\\[${WANT_ERROR[record.file]}\\]`));
      }
    });
  });

  it('an entry verified with the wrong log key fails; missing trust is a usage error', async () => {
    const record = records.find((r) => r.kind === 'rekor-api-logentry' && r.expected === 'valid') as IndexRecord;
    const otherRoot = instanceOf(record) === 'production' ? 'staging' : 'production';
    const wrong = await runInProcess(['verify', '--offline', '--entry', testdataPath(record.file), '--trusted-root', testdataPath('trust', otherRoot, 'trusted_root.json')]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /\[NO_TRUSTED_LOG\]/);
    const none = await runInProcess(['verify', '--offline', '--entry', testdataPath(record.file)]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /needs the log key/);
    assert.ok(readFileSync(testdataPath(record.file)).length > 0);
  });
});
