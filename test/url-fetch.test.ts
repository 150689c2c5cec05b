/**
 * Opt-in URL fetching (--allow-url-fetch) against a real HTTP server on loopback: the allowlist
 * (also across redirects), the size limit, the timeout, and that a fetched rekord entry is the
 * same entry as the inline one. Without the option every url stays refused.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { resolveConfig } from '../src/main/config.js';
import { urlFetcher, type FetchUrl } from '../src/server/index.js';
import { ARTIFACT, specOf, x509Material } from '../src/types/rekord/v0.0.1/testonly.js';
import { appFixture, type AppFixture } from './app-fixture.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(handler: Handler): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

const material = x509Material('ec');
const files: Record<string, Buffer> = {
  '/artifact': ARTIFACT,
  '/signature': Buffer.from(material.signature),
  '/key': Buffer.from(material.key),
  '/big': Buffer.alloc(2000, 7),
};

let site: { server: Server; origin: string };
let elsewhere: { server: Server; origin: string };
let requests: string[] = [];

before(async () => {
  elsewhere = await listen((_req, res) => res.end(ARTIFACT));
  site = await listen((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    const file = files[path];
    if (file !== undefined) return void res.end(file);
    switch (path) {
      case '/big-chunked':
        // No Content-Length: the limit must hold while reading.
        for (let i = 0; i < 20; i++) res.write(Buffer.alloc(100, i));
        return void res.end();
      case '/hang':
        return; // never answers
      case '/to-artifact':
        return void res.writeHead(302, { location: '/artifact' }).end();
      case '/to-elsewhere':
        return void res.writeHead(302, { location: `${elsewhere.origin}/artifact` }).end();
      case '/loop':
        return void res.writeHead(307, { location: '/loop' }).end();
      default:
        res.writeHead(404).end('not here');
    }
  });
});

after(async () => {
  await stop(site.server);
  await stop(elsewhere.server);
});

function fetcher(overrides: { allowedHosts?: string[]; maxBytes?: number; timeoutMs?: number } = {}): FetchUrl {
  return urlFetcher({ allowedHosts: [site.origin], maxBytes: 1000, timeoutMs: 2000, ...overrides });
}

async function fetchError(fetchUrl: FetchUrl, url: string): Promise<string> {
  const err = await fetchUrl(url, 'data').then(
    () => assert.fail(`fetching ${url} should fail`),
    (e: unknown) => e as { code: string; message: string },
  );
  assert.equal(err.code, 'invalid_entry', err.message);
  return err.message;
}

describe('urlFetcher', () => {
  test('fetches an allowed URL and follows an allowed redirect', async () => {
    assert.deepEqual(Buffer.from(await fetcher()(`${site.origin}/artifact`, 'data')), ARTIFACT);
    assert.deepEqual(Buffer.from(await fetcher()(`${site.origin}/to-artifact`, 'data')), ARTIFACT);
  });

  test('refuses hosts, schemes and redirects that are not allowed, before connecting', async () => {
    requests = [];
    const port = new URL(site.origin).port;
    // A bare host:port means https only.
    const httpsOnly = fetcher({ allowedHosts: [`127.0.0.1:${port}`] });
    assert.match(await fetchError(httpsOnly, `${site.origin}/artifact`), /^fetching data\.url: http:\/\/127\.0\.0\.1:\d+ is not on this server's list of allowed hosts$/);
    assert.match(await fetchError(fetcher(), `${elsewhere.origin}/artifact`), /is not on this server's list of allowed hosts/);
    assert.match(await fetchError(fetcher(), `${site.origin.replace('127.0.0.1', 'localhost')}/artifact`), /not on this server's list/);
    assert.match(await fetchError(fetcher(), `http://user:pw@${site.origin.slice(7)}/artifact`), /URLs with credentials are not fetched/);
    assert.match(await fetchError(fetcher(), 'file:///etc/passwd'), /file:\/\/ is not on this server's list|null is not on/);
    assert.match(await fetchError(fetcher(), 'not a url'), /"not a url" is not an absolute URL/);
    assert.deepEqual(requests, []);
    assert.match(await fetchError(fetcher(), `${site.origin}/to-elsewhere`), new RegExp(`${elsewhere.origin} is not on this server's list`));
    assert.deepEqual(requests, ['/to-elsewhere']);
  });

  test('a wildcard allows subdomains only, over https', async () => {
    const wildcard = fetcher({ allowedHosts: ['*.invalid'], timeoutMs: 3000 });
    assert.match(await fetchError(wildcard, 'https://invalid/x'), /not on this server's list/);
    assert.match(await fetchError(wildcard, 'http://a.invalid/x'), /not on this server's list/);
    // Allowed, so it gets as far as name resolution, which .invalid never passes.
    assert.match(await fetchError(wildcard, 'https://a.b.invalid/x'), /request failed|no answer within/);
  });

  test('the size limit holds with and without Content-Length', async () => {
    assert.match(await fetchError(fetcher(), `${site.origin}/big`), /content is larger than the limit of 1000 bytes/);
    assert.match(await fetchError(fetcher(), `${site.origin}/big-chunked`), /content is larger than the limit of 1000 bytes/);
    assert.equal((await fetcher({ maxBytes: 2000 })(`${site.origin}/big`, 'data')).length, 2000);
  });

  test('timeouts, error statuses and redirect loops are the client\'s 400', async () => {
    assert.equal(await fetchError(fetcher({ timeoutMs: 300 }), `${site.origin}/hang`), 'fetching data.url: no answer within 300 ms');
    assert.equal(await fetchError(fetcher(), `${site.origin}/nothing`), `fetching data.url: ${site.origin}/nothing answered 404`);
    assert.equal(await fetchError(fetcher(), `${site.origin}/loop`), 'fetching data.url: more than 3 redirects');
  });

  test('a bad allowlist is a configuration error', () => {
    assert.throws(() => urlFetcher({ allowedHosts: [], maxBytes: 1, timeoutMs: 1 }), /at least one allowed host/);
    assert.throws(
      () => resolveConfig({ flags: { allowUrlFetch: 'example.com,ftp://x.example,https://example.org/path' }, env: {} }),
      (err: Error) => /ftp:\/\/x\.example/.test(err.message) && /https:\/\/example\.org\/path/.test(err.message) && !/"example\.com"/.test(err.message),
    );
    const config = resolveConfig({ flags: { allowUrlFetch: 'example.com, *.example.org ,http://10.0.0.1:8080' }, env: {} });
    assert.deepEqual(config.allowUrlFetch, ['example.com', '*.example.org', 'http://10.0.0.1:8080']);
    assert.equal(config.urlFetchMaxSize, 33_554_432);
    assert.equal(config.urlFetchTimeoutMs, 10_000);
  });
});

describe('entries with url fields over HTTP', () => {
  let fetching: AppFixture;
  let refusing: AppFixture;
  before(async () => {
    fetching = await appFixture({ fetchUrl: fetcher() });
    refusing = await appFixture();
  });
  after(async () => {
    await fetching.close();
    await refusing.close();
  });

  const byUrl = (): Record<string, unknown> => ({
    data: { url: `${site.origin}/to-artifact` },
    signature: { format: 'x509', url: `${site.origin}/signature`, publicKey: { url: `${site.origin}/key` } },
  });
  const post = (fixture: AppFixture, spec: unknown) =>
    fixture.app.inject({ method: 'POST', url: '/api/v1/log/entries', payload: { kind: 'rekord', apiVersion: '0.0.1', spec } });

  test('a rekord entry by URL is logged as the same entry as the inline one', async () => {
    const created = await post(fetching, byUrl());
    assert.equal(created.statusCode, 201, created.body);
    const [uuid, entry] = Object.entries(created.json() as Record<string, { body: string }>)[0] as [string, { body: string }];
    const body = Buffer.from(entry.body, 'base64').toString();
    assert.doesNotMatch(body, /url|127\.0\.0\.1/);

    const inline = await post(fetching, specOf(material));
    assert.equal(inline.statusCode, 409, inline.body);
    assert.match(inline.headers.location as string, new RegExp(`${uuid}$`));

    // The same entry, found through a retrieve query that names its content by URL.
    const retrieved = await fetching.app.inject({
      method: 'POST',
      url: '/api/v1/log/entries/retrieve',
      payload: { entries: [{ kind: 'rekord', apiVersion: '0.0.1', spec: byUrl() }] },
    });
    assert.equal(retrieved.statusCode, 200, retrieved.body);
    assert.deepEqual(retrieved.json().map((e: object) => Object.keys(e)[0]), [uuid]);
  });

  test('bad URLs and mixed forms are 400s, and nothing is written', async () => {
    const before = (await fetching.log.head()).size;
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...byUrl(), data: { url: `${elsewhere.origin}/artifact` } }, /: fetching data\.url: .* is not on this server's list of allowed hosts$/],
      [{ ...byUrl(), data: { url: `${site.origin}/big` } }, /: fetching data\.url: content is larger than the limit of 1000 bytes$/],
      [{ ...byUrl(), data: { url: `${site.origin}/nothing` } }, /answered 404$/],
      [{ ...byUrl(), data: { url: `${site.origin}/artifact`, content: 'AAAA' } }, /: data: give either content or url, not both$/],
      [{ ...byUrl(), data: { url: 42 } }, /: data\.url must be a non-empty string$/],
      [{ ...byUrl(), signature: { format: 'x509', url: `${site.origin}/artifact`, publicKey: { url: `${site.origin}/key` } } }, /verifying signature/],
    ];
    for (const [spec, message] of cases) {
      const res = await post(fetching, spec);
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().code, 400);
      assert.match(res.json().message, message);
    }
    assert.equal((await fetching.log.head()).size, before);
  });

  test('without --allow-url-fetch nothing is fetched and url fields are refused', async () => {
    requests = [];
    const res = await post(refusing, byUrl());
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json().message, /url: fetching URLs is not enabled on this server; submit the content inline$/);
    // Every kind that once took URLs, including those whose own schema no longer names them.
    const others: Array<[string, Record<string, unknown>, string]> = [
      ['helm', { publicKey: { url: `${site.origin}/key` }, chart: { provenance: { content: 'AAAA' } } }, 'publicKey'],
      ['tuf', { metadata: { content: 'AAAA' }, root: { url: `${site.origin}/key` } }, 'root'],
      ['jar', { archive: { url: `${site.origin}/artifact` } }, 'archive'],
      ['rpm', { package: { url: `${site.origin}/artifact` }, publicKey: { content: 'AAAA' } }, 'package'],
      ['alpine', { package: { url: `${site.origin}/artifact` }, publicKey: { content: 'AAAA' } }, 'package'],
    ];
    for (const [kind, spec, field] of others) {
      const other = await refusing.app.inject({ method: 'POST', url: '/api/v1/log/entries', payload: { kind, apiVersion: '0.0.1', spec } });
      assert.equal(other.statusCode, 400, `${kind}: ${other.body}`);
      assert.match(other.json().message, new RegExp(`${field}\\.url: fetching URLs is not enabled on this server`), kind);
    }
    assert.deepEqual(requests, []);
  });
});
