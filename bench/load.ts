/**
 * A minimal HTTP/1.1 load generator for loopback benchmarks: each connection keeps one request
 * in flight (no pipelining), requests are serialized before the clock starts, and responses are
 * parsed only as far as status and Content-Length. It exists because on a 2-core machine the
 * load generator's own CPU competes with the server: this one costs a fraction of autocannon's.
 */
import { connect, type Socket } from 'node:net';

export interface LoadOptions {
  host: string;
  port: number;
  connections: number;
  /** The i-th request, fully serialized (request line, headers, body). */
  request: (i: number) => Buffer;
  /** Stop after this many requests… */
  amount?: number;
  /** …or after this many milliseconds. */
  durationMs?: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  statuses: Map<number, number>;
  /** Milliseconds, sorted. */
  latencies: Float64Array;
}

export function httpRequest(method: string, path: string, host: string, body?: string): Buffer {
  const head = `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\n`;
  if (body === undefined) return Buffer.from(`${head}\r\n`);
  const bytes = Buffer.from(body);
  return Buffer.concat([Buffer.from(`${head}Content-Type: application/json\r\nContent-Length: ${bytes.length}\r\n\r\n`), bytes]);
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const started = performance.now();
  const deadline = options.durationMs === undefined ? Infinity : started + options.durationMs;
  let issued = 0;
  const next = (): Buffer | undefined => {
    if (options.amount !== undefined && issued >= options.amount) return undefined;
    if (performance.now() >= deadline) return undefined;
    return options.request(issued++);
  };
  await Promise.all(
    Array.from({ length: options.connections }, () =>
      runConnection(options, next, (status, ms) => {
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        latencies.push(ms);
      }),
    ),
  );
  const sorted = Float64Array.from(latencies).sort();
  return { requests: latencies.length, seconds: (performance.now() - started) / 1000, statuses, latencies: sorted };
}

function runConnection(options: LoadOptions, next: () => Buffer | undefined, done: (status: number, ms: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: options.host, port: options.port, noDelay: true });
    let pending: Buffer = Buffer.alloc(0);
    let sentAt = 0;
    const send = (): void => {
      const request = next();
      if (request === undefined) {
        socket.end();
        resolve();
        return;
      }
      sentAt = performance.now();
      socket.write(request);
    };
    socket.once('connect', send);
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      const headerEnd = pending.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const head = pending.subarray(0, headerEnd).toString('latin1');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (pending.length < headerEnd + 4 + length) return;
      done(Number(head.slice(9, 12)), performance.now() - sentAt);
      pending = pending.subarray(headerEnd + 4 + length);
      send();
    });
  });
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
