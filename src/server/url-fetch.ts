/**
 * Opt-in fetching of the `url` fields of proposed entries (`--allow-url-fetch`). Fetching on a
 * client's behalf is a server-side request forgery risk, so it is off by default and, when on,
 * only reaches the hosts the operator lists: every URL, and every redirect, is checked against
 * the allowlist; bodies are read up to a byte limit and the whole fetch is bounded by a timeout.
 * Anything that goes wrong is the submitter's problem: a 400 naming the field and the reason.
 */
import { RekorError } from '../errors.js';
import { urlRefused } from '../types/go-decode.js';
import { URL_FIELDS } from '../types/url-fields.js';

export interface UrlFetchOptions {
  /**
   * Hosts that may be fetched from: `example.com` (exact), `*.example.com` (any subdomain), each
   * optionally with `:port`, all over https; or an `http://host:port` / `https://host[:port]` origin.
   */
  readonly allowedHosts: readonly string[];
  /** Largest body accepted from one URL, in bytes. */
  readonly maxBytes: number;
  /** Longest one fetch may take, redirects and body included, in ms. */
  readonly timeoutMs: number;
  /** Redirects followed per URL; each target must be allowed too. Default 3. */
  readonly maxRedirects?: number;
}

/** Fetches `url` for the spec field `field`; throws RekorError('invalid_entry'). */
export type FetchUrl = (url: string, field: string) => Promise<Uint8Array>;

interface HostRule {
  readonly protocol: 'https:' | 'http:';
  /** Exact lower-case host name, or the suffix (with its leading dot) for a wildcard. */
  readonly host: string;
  readonly wildcard: boolean;
  /** '' for the protocol's default port. */
  readonly port: string;
}

function parseRule(entry: string): HostRule {
  const text = entry.trim();
  const withScheme = /^[a-z]+:\/\//i.test(text);
  const wildcard = !withScheme && text.startsWith('*.');
  let url: URL;
  try {
    url = new URL(withScheme ? text : `https://${wildcard ? text.slice(2) : text}`);
  } catch {
    throw new RekorError('bad_request', `allowed URL host "${entry}" is not a host name, host:port or http(s) origin`);
  }
  const bare = url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !bare || url.hostname === '') {
    throw new RekorError('bad_request', `allowed URL host "${entry}" is not a host name, host:port or http(s) origin`);
  }
  return { protocol: url.protocol, host: wildcard ? `.${url.hostname}` : url.hostname, wildcard, port: url.port };
}

/** Why `entry` is not a valid allowlist entry, or undefined when it is. */
export function allowedHostProblem(entry: string): string | undefined {
  try {
    parseRule(entry);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

function allowedBy(rules: readonly HostRule[], url: URL): boolean {
  return rules.some(
    (rule) =>
      rule.protocol === url.protocol &&
      rule.port === url.port &&
      (rule.wildcard ? url.hostname.endsWith(rule.host) && url.hostname.length > rule.host.length : url.hostname === rule.host),
  );
}

function fetchError(field: string, reason: string): RekorError {
  return new RekorError('invalid_entry', `fetching ${field}.url: ${reason}`);
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Checks the options (RekorError('bad_request') for a bad allowlist) and returns the fetcher. */
export function urlFetcher(options: UrlFetchOptions): FetchUrl {
  if (options.allowedHosts.length === 0) throw new RekorError('bad_request', 'URL fetching needs at least one allowed host');
  const rules = options.allowedHosts.map(parseRule);
  const maxRedirects = options.maxRedirects ?? 3;

  return async (raw, field) => {
    const signal = AbortSignal.timeout(options.timeoutMs);
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw fetchError(field, `"${raw}" is not an absolute URL`);
    }
    for (let hop = 0; ; hop++) {
      if (url.username !== '' || url.password !== '') throw fetchError(field, 'URLs with credentials are not fetched');
      if (!allowedBy(rules, url)) throw fetchError(field, `${url.origin} is not on this server's list of allowed hosts`);
      let response: Response;
      try {
        response = await fetch(url, { redirect: 'manual', signal, headers: { accept: '*/*' } });
      } catch (err) {
        throw fetchError(field, signal.aborted ? `no answer within ${options.timeoutMs} ms` : `request failed: ${describe(err)}`);
      }
      if (REDIRECTS.has(response.status)) {
        await response.body?.cancel();
        const location = response.headers.get('location');
        if (location === null) throw fetchError(field, `redirect ${response.status} without a Location`);
        if (hop >= maxRedirects) throw fetchError(field, `more than ${maxRedirects} redirects`);
        url = new URL(location, url);
        continue;
      }
      if (response.status < 200 || response.status > 299) {
        await response.body?.cancel();
        throw fetchError(field, `${url.href} answered ${response.status}`);
      }
      return readBounded(response, field, options.maxBytes, options.timeoutMs, signal);
    }
  };
}

async function readBounded(response: Response, field: string, maxBytes: number, timeoutMs: number, signal: AbortSignal): Promise<Uint8Array> {
  const tooLarge = (): RekorError => fetchError(field, `content is larger than the limit of ${maxBytes} bytes`);
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof RekorError) throw err;
    throw fetchError(field, signal.aborted ? `no answer within ${timeoutMs} ms` : `reading the body failed: ${describe(err)}`);
  }
  return new Uint8Array(Buffer.concat(chunks, total));
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Replaces each `url` the kind allows with the fetched bytes as base64 `content`, fetching in
 * parallel; returns a new spec (the input is not changed). A kind without url fields, or a spec
 * without `url` members, comes back as is. Without a fetcher (the default) a `url` is refused,
 * for every kind alike, before the kind sees the spec.
 */
export async function resolveSpecUrls(kind: string, spec: Record<string, unknown>, fetchUrl: FetchUrl | undefined): Promise<Record<string, unknown>> {
  const paths = URL_FIELDS[kind] ?? [];
  const found: Array<{ path: readonly string[]; url: string }> = [];
  for (const path of paths) {
    const holder = path.reduce<unknown>((at, name) => (isObject(at) && Object.hasOwn(at, name) ? at[name] : undefined), spec);
    if (!isObject(holder) || !Object.hasOwn(holder, 'url')) continue;
    const field = path.join('.');
    if (fetchUrl === undefined) {
      throw urlRefused(field);
    }
    const url = holder['url'];
    if (typeof url !== 'string' || url === '') throw new RekorError('invalid_entry', `${field}.url must be a non-empty string`);
    if (typeof holder['content'] === 'string' && holder['content'] !== '') {
      throw new RekorError('invalid_entry', `${field}: give either content or url, not both`);
    }
    found.push({ path, url });
  }
  if (found.length === 0) return spec;
  // Settle every fetch before answering, so none outlives the request that caused it.
  const fetchOne = fetchUrl as FetchUrl;
  const settled = await Promise.allSettled(found.map(({ path, url }) => fetchOne(url, path.join('.'))));
  const fetched = settled.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
  const copy = structuredClone(spec);
  found.forEach(({ path }, i) => {
    const holder = path.reduce<Record<string, unknown>>((at, name) => at[name] as Record<string, unknown>, copy);
    delete holder['url'];
    holder['content'] = Buffer.from(fetched[i] as Uint8Array).toString('base64');
  });
  return copy;
}
