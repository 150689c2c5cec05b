/**
 * A reader that goes away early (`rekor-cli --help | head -1`) must not make rekor-cli print a
 * stack trace: it exits at once and quietly, with the status a shell reports for Go's CLI killed
 * by SIGPIPE (141). The read end of the pipe is closed before the child even starts writing, so
 * the broken pipe is certain, not a race.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from './testdata.js';

const BIN = join(repoRoot, 'bin', 'rekor-cli.js');

describe('rekor-cli when its stdout or stderr is closed early', () => {
  let home: string;
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'rekor-cli-epipe-'));
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  /** Runs the CLI with `closed` (stdout, stderr or both) already closed; collects the other stream. */
  async function runClosed(args: string[], closed: readonly ('stdout' | 'stderr')[]): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env['PATH'] ?? '', HOME: home, REKOR_REKOR_SERVER: 'http://127.0.0.1:9' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    });
    const out = { stdout: '', stderr: '' };
    for (const name of ['stdout', 'stderr'] as const) {
      const stream = child[name];
      if (closed.includes(name)) stream.destroy();
      else stream.setEncoding('utf8').on('data', (chunk: string) => (out[name] += chunk));
    }
    const [code, signal] = (await once(child, 'close')) as [number | null, string | null];
    return { code, signal, ...out };
  }

  it('exits 141 without a word when stdout is gone, for help, version and command output', async () => {
    const runs = await Promise.all([runClosed(['--help'], ['stdout']), runClosed(['upload', '--help'], ['stdout']), runClosed(['version'], ['stdout']), runClosed(['--format', 'json', 'version'], ['stdout'])]);
    for (const run of runs) assert.deepEqual(run, { code: 141, signal: null, stdout: '', stderr: '' });
  });

  it('exits 141 without a word when stderr is gone (usage errors, failures), or both are', async () => {
    const runs = await Promise.all([
      runClosed(['--no-such-flag'], ['stderr']),
      runClosed(['get', '--log-index', '0'], ['stderr']),
      runClosed(['--help'], ['stdout', 'stderr']),
      runClosed(['get', '--log-index', 'x'], ['stdout', 'stderr']),
    ]);
    for (const run of runs) assert.deepEqual(run, { code: 141, signal: null, stdout: '', stderr: '' });
  });

  it('still reports its own errors when the streams are open', async () => {
    const run = await runClosed(['--no-such-flag'], []);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^error: unknown option '--no-such-flag'/);
  });

  it('`rekor-cli --help | head -1` prints the first line and nothing on stderr', async () => {
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      execFile('sh', ['-c', `"${process.execPath}" "${BIN}" --help | head -1`], { env: { PATH: process.env['PATH'] ?? '', HOME: home }, timeout: 30_000 }, (err, stdout, stderr) =>
        err === null ? resolve({ stdout, stderr }) : reject(err),
      );
    });
    assert.equal(stdout, 'Usage: rekor-cli [options] [command]\n');
    assert.equal(stderr, '');
  });
});
