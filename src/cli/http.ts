/**
 * A small Rekor v1 REST client over fetch: JSON in and out, a per-request timeout, and Rekor's
 * retry policy (go-retryablehttp: connection errors, 429 and 5xx are retried, immediately).
 * Server errors become RekorApiError with the status and the server's own message.
 */
import { CliError } from './errors.js';
import { packageVersion } from './version.js';

export const USER_AGENT = `rekor-cli/${packageVersion()} (${process.platform}; ${process.arch})`;

/** Bodies larger than this are refused rather than buffered (a hostile server cannot exhaust memory). */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export class RekorApiError extends CliError {
  constructor(
    readonly status: number,
    readonly serverMessage: string,
    readonly headers: Headers,
    what: string,
  ) {
    super(`${what}: ${serverMessage}`);
  }
}

export interface ClientOptions {
  server: string;
  timeoutMs: number;
  retries: number;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
}

async function readBounded(response: Response): Promise<string> {
  const length = Number(response.headers.get('content-length') ?? '0');
  if (length > MAX_RESPONSE_BYTES) throw new CliError(`response of ${length} bytes is larger than the ${MAX_RESPONSE_BYTES}-byte limit`);
  if (response.body === null) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > MAX_RESPONSE_BYTES) throw new CliError(`response is larger than the ${MAX_RESPONSE_BYTES}-byte limit`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function messageOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: show the text itself
  }
  return text.trim().slice(0, 500);
}

export class RekorClient {
  readonly server: string;

  constructor(private readonly options: ClientOptions) {
    this.server = options.server.replace(/\/+$/, '');
  }

  /** Sends a request; returns any response with status < 500 (callers decide what 4xx means). */
  async request(method: 'GET' | 'POST', path: string, body?: unknown, accept = 'application/json'): Promise<ApiResponse> {
    const url = `${this.server}${path}`;
    let lastError: unknown;
    for (let attempt = 0; attempt <= this.options.retries; attempt++) {
      try {
        const init: RequestInit = {
          method,
          headers: {
            accept,
            'user-agent': USER_AGENT,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          signal: AbortSignal.timeout(this.options.timeoutMs),
          redirect: 'error',
        };
        if (body !== undefined) init.body = JSON.stringify(body);
        const response = await fetch(url, init);
        const text = await readBounded(response);
        const retryable = response.status === 429 || response.status >= 500;
        if (retryable && attempt < this.options.retries) {
          lastError = new RekorApiError(response.status, messageOf(text), response.headers, `[${method} ${path}][${response.status}]`);
          continue;
        }
        return { status: response.status, headers: response.headers, text };
      } catch (err) {
        if (err instanceof CliError) throw err;
        lastError = err;
      }
    }
    if (lastError instanceof CliError) throw lastError;
    const reason = lastError instanceof Error ? (lastError.cause instanceof Error ? lastError.cause.message : lastError.message) : String(lastError);
    throw new CliError(`${method} ${url}: ${reason}`, 1, { cause: lastError });
  }

  /** A request that must answer `expect` (default 200); anything else is a RekorApiError. */
  async json<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown, expect: number[] = [200]): Promise<{ value: T; response: ApiResponse }> {
    const response = await this.request(method, path, body);
    if (!expect.includes(response.status)) {
      throw new RekorApiError(response.status, messageOf(response.text), response.headers, `[${method} ${path}][${response.status}]`);
    }
    let value: T;
    try {
      value = JSON.parse(response.text) as T;
    } catch (err) {
      throw new CliError(`${method} ${path}: the server's response is not JSON`, 1, { cause: err });
    }
    return { value, response };
  }

  async publicKey(treeID?: string): Promise<string> {
    const query = treeID === undefined || treeID === '' ? '' : `?treeID=${encodeURIComponent(treeID)}`;
    const response = await this.request('GET', `/api/v1/log/publicKey${query}`, undefined, 'application/x-pem-file');
    if (response.status !== 200) {
      throw new RekorApiError(response.status, messageOf(response.text), response.headers, `retrieving rekor public key: [GET /api/v1/log/publicKey][${response.status}]`);
    }
    return response.text;
  }
}
