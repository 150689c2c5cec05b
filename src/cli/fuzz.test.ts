/**
 * Hostile input to the CLI's own parsers: flag values and the files verify --offline reads.
 * Whatever the bytes, the CLI ends with exit 1 or 2 and a one-line reason, never a stack trace.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { runCli } from '../../test/cli-process.js';
import { testdataPath } from '../../test/testdata.js';
import { checkLogIndexFlag, checkUuidFlag, keyedEntries } from './entry.js';
import { CliError } from './errors.js';
import { main } from './program.js';
import { parseSha, parseTypeFlag } from './proposed.js';
import { parseDuration } from './settings.js';

function onlyCliErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof CliError, `unexpected ${String(err)}`);
  }
}

describe('rekor-cli under hostile input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rekor-cli-fuzz-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('flag parsers throw only CliError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        for (const parse of [parseSha, parseTypeFlag, parseDuration, checkUuidFlag, checkLogIndexFlag]) onlyCliErrors(() => (parse as (t: string, f: string) => unknown)(text, 'x'));
        onlyCliErrors(() => keyedEntries((() => {
          try {
            return JSON.parse(text) as unknown;
          } catch {
            return text;
          }
        })(), 'fuzz'));
      }),
      { numRuns: 500 },
    );
  });

  it('a bundle whose base64 turns bad late fails at once (no regex backtracking)', async () => {
    const bundle = JSON.parse(readFileSync(testdataPath('entries', 'bundles', 'rekor-v2', 'conformance-rekor2-happy-path.sigstore.json'), 'utf8')) as {
      verificationMaterial: { tlogEntries: { canonicalizedBody: string }[] };
    };
    (bundle.verificationMaterial.tlogEntries[0] as { canonicalizedBody: string }).canonicalizedBody = `${'A'.repeat(64)}$`;
    const path = join(dir, 'late-bad-base64.json');
    writeFileSync(path, JSON.stringify(bundle));
    const root = testdataPath('trust', 'staging', 'trusted_root.json');
    // A child process, so a synchronous hang is killed (and fails the test) instead of stalling it.
    const run = await runCli(['verify', '--offline', '--bundle', path, '--trusted-root', root], { home: dir, timeoutMs: 10_000 });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /canonicalizedBody must be base64 \[MALFORMED\]/);
  });

  it('verify --offline on mutated entries and bundles exits 1 or 2 with a reason', async () => {
    const seeds = [
      readFileSync(testdataPath('entries', 'rekor-v1-api', 'staging', 'hashedrekord-1688.json'), 'utf8'),
      readFileSync(testdataPath('entries', 'bundles', 'rekor-v2', 'conformance-rekor2-happy-path.sigstore.json'), 'utf8'),
    ];
    const root = testdataPath('trust', 'staging', 'trusted_root.json');
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.string({ maxLength: 8 }), fc.boolean(), async (which, at, insert, asBundle) => {
        const seed = seeds[which % seeds.length] as string;
        const cut = at % (seed.length + 1);
        const mutated = seed.slice(0, cut) + insert + seed.slice(cut + Math.min(insert.length, 3));
        const path = join(dir, 'mutated.json');
        writeFileSync(path, mutated);
        let stderr = '';
        const code = await main(['node', 'rekor-cli', 'verify', '--offline', asBundle ? '--bundle' : '--entry', path, '--trusted-root', root], () => {}, (t) => (stderr += t));
        if (code !== 0) {
          assert.ok(code === 1 || code === 2, `exit ${code}`);
          assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
        }
      }),
      { numRuns: 150 },
    );
  });
});
