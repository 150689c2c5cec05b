/**
 * Runs the real `rekor-server serve` as a child process on a loopback port the OS picks, and
 * learns its URL from the server's own "listening" log line (no polling, no sleeps).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from './testdata.js';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the server wrote to stderr so far (for failure messages). */
  stderr(): string;
  /** SIGTERM and wait for a clean exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: the crash the durability tests need. */
  kill(): Promise<void>;
}

export async function startServerProcess(options: { dataDir: string; args?: string[]; env?: NodeJS.ProcessEnv }): Promise<ServerProcess> {
  const args = [
    join(repoRoot, 'bin', 'rekor-server.js'),
    'serve',
    '--port', '0',
    '--address', '127.0.0.1',
    '--hostname', '127.0.0.1',
    '--data-dir', options.dataDir,
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env['PATH'] ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit');
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      try {
        const record = JSON.parse(line) as { msg?: string; url?: string };
        if (record.msg === 'rekor-ts server listening' && record.url !== undefined) resolve(record.url);
      } catch {
        // not a log record
      }
    });
    void exited.then(([code, signal]) => reject(new Error(`server exited (${String(signal ?? code)}) before listening:\n${stderr}`)));
  });
  return {
    url,
    child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      return code;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
