/** Runs the real rekor-cli (bin/rekor-cli.js) as a child process and collects what it printed. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './testdata.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { home: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [join(repoRoot, 'bin', 'rekor-cli.js'), ...args],
      { env: { PATH: process.env['PATH'] ?? '', HOME: options.home, ...options.env }, maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 60_000 },
      (err, stdout, stderr) => {
        // A child killed by the timeout has no exit code: that is a hang, and the test fails.
        const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : undefined;
        if (code === undefined) reject(err as Error);
        else resolve({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
