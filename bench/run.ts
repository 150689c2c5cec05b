/**
 * `npm run bench`: starts the real server on a fresh data dir and drives it over loopback with
 * bench/load.ts, a light load generator running beside it on the same machine.
 *   1. appends: hashedrekord entries, each signed by a fresh P-256 key before the clock starts,
 *      over 64 concurrent connections (entries/s, p50/p99 latency), measured after
 *      --warmup-entries more of them (the server's first second JIT-compiles the write path);
 *   2. appends from a single connection (p50 latency);
 *   3. dsse and intoto 0.0.2 appends (in-toto statements in DSSE envelopes), 64 connections;
 *   4. reads: GET /api/v1/log/entries?logIndex=<random> with inclusion proof (reads/s), measured
 *      after --warmup seconds of the same reads (the read path's first requests JIT-compile
 *      it and fill its caches; appends have warmed only the write path);
 *   5. the same reads with --workers <cores>, on the same log, restarted (unless --workers was given).
 * Options: --entries N (default 40000), --warmup-entries N (default 5000), --duration S for reads
 * (default 10), --warmup S for reads (default 2); every other `--flag value` pair goes to
 * `rekor-server serve` (e.g. --workers 2).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { dsseEntry, hashedRekord, intotoEntry, signArtifact } from '../test/entries.js';
import { startServerProcess } from '../test/server-process.js';
import { httpRequest, load, percentile, type LoadOptions } from './load.js';

const OWN_FLAGS = new Set(['--entries', '--warmup-entries', '--duration', '--warmup']);

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

function serverArgs(): string[] {
  const out: string[] = [];
  for (let i = 2; i < process.argv.length; i += 2) {
    const flag = process.argv[i] as string;
    if (!OWN_FLAGS.has(flag)) out.push(flag, process.argv[i + 1] as string);
  }
  return out;
}

async function phase(name: string, options: LoadOptions, warmupMs = 0): Promise<string> {
  if (warmupMs > 0) await load({ ...options, durationMs: warmupMs });
  const result = await load(options);
  const ok = [...result.statuses].filter(([s]) => s >= 200 && s < 300).reduce((n, [, c]) => n + c, 0);
  const others = [...result.statuses].filter(([s]) => s < 200 || s >= 300).map(([s, c]) => `${c}×${s}`);
  const rate = Math.round(result.requests / result.seconds);
  const ms = (p: number): string => percentile(result.latencies, p).toFixed(1);
  return `| ${name} | ${result.requests} | ${rate} | ${ms(50)} | ${ms(99)} | ${ok} | ${others.join(' ') || '-'} |`;
}

async function main(): Promise<void> {
  const entries = argValue('entries', 40_000);
  const duration = argValue('duration', 10);
  const warmupMs = argValue('warmup', 2) * 1000;
  const warmupEntries = argValue('warmup-entries', 5000);
  const total = warmupEntries + entries + 2000;
  console.log(`generating ${total} signed hashedrekord entries (a fresh P-256 key each)...`);
  const bodies = Array.from({ length: total }, () => JSON.stringify(hashedRekord(signArtifact())));
  const attestations = Math.floor(entries / 4);
  console.log(`generating ${attestations} dsse and ${attestations} intoto entries...`);
  const dsse = Array.from({ length: attestations }, () => JSON.stringify(dsseEntry()));
  const intoto = Array.from({ length: attestations }, () => JSON.stringify(intotoEntry()));
  const dataDir = mkdtempSync(join(tmpdir(), 'rekor-ts-bench-'));
  const server = await startServerProcess({ dataDir, args: serverArgs() });
  const url = new URL(server.url);
  const target = { host: url.hostname, port: Number(url.port) };
  const post = (offset: number) => (i: number) => httpRequest('POST', '/api/v1/log/entries', url.host, bodies[offset + i]);
  try {
    if (warmupEntries > 0) await load({ ...target, connections: 64, amount: warmupEntries, request: post(entries + 2000) });
    const rows = [
      await phase('append, 64 connections', { ...target, connections: 64, amount: entries, request: post(0) }),
      await phase('append, 1 connection', { ...target, connections: 1, amount: 2000, request: post(entries) }),
      await phase('append dsse, 64 connections', {
        ...target,
        connections: 64,
        amount: attestations,
        request: (i) => httpRequest('POST', '/api/v1/log/entries', url.host, dsse[i]),
      }),
      await phase('append intoto 0.0.2, 64 connections', {
        ...target,
        connections: 64,
        amount: attestations,
        request: (i) => httpRequest('POST', '/api/v1/log/entries', url.host, intoto[i]),
      }),
    ];
    const { treeSize } = (await (await fetch(`${server.url}/api/v1/log`)).json()) as { treeSize: number };
    rows.push(
      await phase('read by index with proof, 64 connections', {
        ...target,
        connections: 64,
        durationMs: duration * 1000,
        request: () => httpRequest('GET', `/api/v1/log/entries?logIndex=${Math.floor(Math.random() * treeSize)}`, url.host),
      }, warmupMs),
    );
    // Reads scale with processes where appends (already using every core) do not: unless the
    // run chose --workers itself, the same log is read once more with one process per core.
    const workers = availableParallelism();
    if (!serverArgs().includes('--workers') && workers > 1) {
      await server.stop();
      const again = await startServerProcess({ dataDir, args: [...serverArgs(), '--workers', String(workers)] });
      const at = new URL(again.url);
      try {
        rows.push(
          await phase(`read by index with proof, 64 connections, --workers ${workers}`, {
            host: at.hostname,
            port: Number(at.port),
            connections: 64,
            durationMs: duration * 1000,
            request: () => httpRequest('GET', `/api/v1/log/entries?logIndex=${Math.floor(Math.random() * treeSize)}`, at.host),
          }, warmupMs),
        );
      } finally {
        await again.stop();
      }
    }
    const cpu = cpus()[0]?.model ?? 'unknown cpu';
    console.log(`\n${new Date().toISOString()} · ${cpus().length} × ${cpu} · ${Math.round(totalmem() / 2 ** 30)} GiB · node ${process.version}`);
    console.log(`server: rekor-server ${['serve', ...serverArgs()].join(' ')} · log size after appends: ${treeSize}`);
    console.log('| phase | requests | per second | p50 ms | p99 ms | 2xx | other |');
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const row of rows) console.log(row);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
