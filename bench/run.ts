/**
 * `npm run bench`: starts the real server on a fresh data dir and drives it over loopback with
 * autocannon, the load generator running beside it on the same machine.
 *   1. appends: keyless-style hashedrekord entries, each signed by a fresh P-256 key before the
 *      clock starts, at 64 concurrent connections (entries/s, p50/p99 latency);
 *   2. appends from a single client (p50 latency);
 *   3. reads: GET /api/v1/log/entries?logIndex=<random> with inclusion proof (reads/s).
 * Options: --entries N (default 40000), --duration S for reads (default 10), --workers N,
 * any further --flag value pairs are passed to `rekor-server serve`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { hashedRekord, signArtifact } from '../test/entries.js';
import { startServerProcess } from '../test/server-process.js';

interface Phase {
  name: string;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

function serverArgs(): string[] {
  const own = new Set(['--entries', '--duration']);
  const out: string[] = [];
  for (let i = 2; i < process.argv.length; i += 2) {
    const flag = process.argv[i] as string;
    if (!own.has(flag)) out.push(flag, process.argv[i + 1] as string);
  }
  return out;
}

async function run(name: string, options: autocannon.Options): Promise<Phase> {
  const result = await autocannon({ ...options, timeout: 30 });
  return {
    name,
    requests: result.requests.total,
    perSecond: Math.round(result.requests.total / (result.duration || 1)),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

function appendPhase(url: string, bodies: string[], connections: number): Promise<Phase> {
  let next = 0;
  return run(`append, ${connections} connection(s)`, {
    url,
    connections,
    amount: bodies.length,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/log/entries',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] as string }),
      },
    ],
  });
}

async function main(): Promise<void> {
  const entries = argValue('entries', 40_000);
  const duration = argValue('duration', 10);
  console.log(`generating ${entries + 2000} signed hashedrekord entries (a fresh P-256 key each)...`);
  const bodies = Array.from({ length: entries + 2000 }, () => JSON.stringify(hashedRekord(signArtifact())));
  const dataDir = mkdtempSync(join(tmpdir(), 'rekor-ts-bench-'));
  const server = await startServerProcess({ dataDir, args: serverArgs() });
  try {
    const phases: Phase[] = [];
    phases.push(await appendPhase(server.url, bodies.slice(0, entries), 64));
    phases.push(await appendPhase(server.url, bodies.slice(entries), 1));
    let size = 0;
    const info = (await (await fetch(`${server.url}/api/v1/log`)).json()) as { treeSize: number };
    size = info.treeSize;
    phases.push(
      await run('read by index with proof, 64 connections', {
        url: server.url,
        connections: 64,
        duration,
        requests: [{ method: 'GET', setupRequest: (r) => ({ ...r, path: `/api/v1/log/entries?logIndex=${Math.floor(Math.random() * size)}` }) }],
      }),
    );
    const cpu = cpus()[0]?.model ?? 'unknown cpu';
    console.log(`\n${new Date().toISOString()} · ${cpus().length} × ${cpu} · ${Math.round(totalmem() / 2 ** 30)} GiB · node ${process.version}`);
    console.log(`server: ${['serve', ...serverArgs()].join(' ')} · log size after appends: ${size}`);
    console.log('| phase | requests | per second | p50 ms | p99 ms | non-2xx | errors |');
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const p of phases) console.log(`| ${p.name} | ${p.requests} | ${p.perSecond} | ${p.p50} | ${p.p99} | ${p.non2xx} | ${p.errors} |`);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
