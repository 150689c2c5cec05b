/**
 * Reading the files a command names. Local paths always; http(s) URLs only with --allow-urls
 * (Rekor fetches them silently; fetching what a flag names is a surprise we do not spring by
 * default). Reads are bounded, and a large artifact is hashed as a stream with a progress bar on
 * stderr when stderr is a terminal.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { CliError } from './errors.js';

/** Largest file or download read into memory (the server refuses larger bodies anyway). */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;
/** Artifacts at least this large get a progress bar while hashing. */
const PROGRESS_THRESHOLD = 8 * 1024 * 1024;

export function isUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

export interface InputOptions {
  allowUrls: boolean;
  timeoutMs: number;
}

async function download(url: string, flag: string, timeoutMs: number): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new CliError(`error fetching '${url}' (--${flag}): ${(err as Error).message}`, 1, { cause: err });
  }
  if (!response.ok) throw new CliError(`error fetching '${url}' (--${flag}): HTTP ${response.status}`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > MAX_INPUT_BYTES) throw new CliError(`error fetching '${url}' (--${flag}): larger than ${MAX_INPUT_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function refuseUrl(value: string, flag: string, options: InputOptions): void {
  if (isUrl(value) && !options.allowUrls) {
    throw new CliError(`--${flag} ${value} is a URL; rekor-cli does not fetch URLs unless --allow-urls is given`, 2);
  }
}

/** The bytes of a file or (with --allow-urls) a URL. */
export async function readInput(value: string, flag: string, options: InputOptions): Promise<Buffer> {
  refuseUrl(value, flag, options);
  if (isUrl(value)) return download(value, flag, options.timeoutMs);
  try {
    const stat = statSync(value);
    if (stat.isDirectory()) throw new CliError(`--${flag} ${value}: path to a directory was provided`, 2);
    if (stat.size > MAX_INPUT_BYTES) throw new CliError(`--${flag} ${value}: file is larger than ${MAX_INPUT_BYTES} bytes`);
    return readFileSync(value);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`error reading --${flag} file ${value}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 1, { cause: err });
  }
}

function progressBar(total: number): { update(done: number): void; end(): void } {
  const tty = process.stderr.isTTY === true && total >= PROGRESS_THRESHOLD;
  let last = -1;
  return {
    update(done) {
      if (!tty) return;
      const percent = Math.floor((done / total) * 100);
      if (percent === last) return;
      last = percent;
      const width = 30;
      const filled = Math.round((percent / 100) * width);
      process.stderr.write(`\rhashing [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}% of ${(total / 1048576).toFixed(1)} MiB`);
    },
    end() {
      if (tty) process.stderr.write('\n');
    },
  };
}

/** The hex SHA-256 (or `algorithm`) of a file or URL, streamed; no size limit for local files. */
export async function hashInput(value: string, flag: string, options: InputOptions, algorithm = 'sha256'): Promise<string> {
  refuseUrl(value, flag, options);
  if (isUrl(value)) return createHash(algorithm).update(await download(value, flag, options.timeoutMs)).digest('hex');
  const hash = createHash(algorithm);
  let total: number;
  try {
    const stat = statSync(value);
    if (stat.isDirectory()) throw new CliError(`--${flag} ${value}: path to a directory was provided`, 2);
    total = stat.size;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`error opening artifact file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}: ${value}`, 1, { cause: err });
  }
  const bar = progressBar(total);
  let done = 0;
  for await (const chunk of createReadStream(value, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    done += chunk.length;
    bar.update(done);
  }
  bar.end();
  return hash.digest('hex');
}
