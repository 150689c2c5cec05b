/**
 * The command line itself, in-process (no server needed): usage errors exit 2 with Rekor's
 * messages, and the upload/search paths that depend on what a server answers (intoto 0.0.2 → 0.0.1
 * fallback on 400, search index disabled) against a scripted HTTP server.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { signedStatement } from '../../test/entries.js';
import { main } from './program.js';

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'rekor-cli', ...args], (t) => (stdout += t), (t) => (stderr += t));
  return { code, stdout, stderr };
}

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

describe('rekor-cli command line', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rekor-cli-program-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('usage errors exit 2 and say what is wrong', async () => {
    const artifact = join(dir, 'a.bin');
    writeFileSync(artifact, 'x');
    const cases: [string[], RegExp][] = [
      [['bogus'], /unknown command 'bogus'/],
      [['get'], /either --uuid or --log-index must be specified/],
      [['get', '--log-index', '-1'], /field 'log-index' is not a valid number/],
      [['get', '--uuid', 'abc'], /ID len error, expected 80 \(EntryID\) or 64 \(UUID\) but got len 3/],
      [['get', '--uuid', 'z'.repeat(64)], /invalid uuid/],
      [['logproof'], /last-size must be specified/],
      [['logproof', '--first-size', '0', '--last-size', '2'], /first-size must be > 0/],
      [['logproof', '--first-size', '3', '--last-size', '2'], /last-size must be >= to first-size/],
      [['upload'], /either 'entry' or 'artifact' or 'artifact-hash' must be specified/],
      [['upload', '--type', 'nope', '--artifact', artifact], /unknown type nope/],
      [['upload', '--type', 'rekord', '--artifact', 'https://example.com/a', '--signature', 's', '--public-key', 'k'], /is a URL; rekor-cli does not fetch URLs unless --allow-urls is given/],
      [['upload', '--artifact', artifact, '--signature', artifact, '--public-key', artifact, '--pki-format', 'pgp'], /hashedrekord entries can only be created for artifacts signed with x509-based PKI/],
      [['search'], /either 'sha' or 'artifact' or 'public-key' or 'email' or 'subject' must be specified/],
      [['search', '--public-key', artifact], /pki-format must be specified if searching by public-key/],
      [['search', '--sha', 'abc'], /--sha/],
      [['search', '--email', 'not-an-email'], /is not a valid email address/],
      [['--format', 'yaml', 'loginfo'], /'yaml' is not a valid output format/],
      [['--timeout', 'soon', 'loginfo'], /invalid duration "soon"/],
      [['--rekor_server', 'ftp://x', 'loginfo'], /URL must be for http or https scheme/],
      [['verify', '--offline', '--entry', artifact], /needs the log key/],
      [['verify', '--offline', '--public-key', artifact], /exactly one of --entry <file> or --bundle <file>/],
    ];
    for (const [args, message] of cases) {
      const result = await run(...args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(' '));
      assert.equal(result.stdout, '');
    }
  });

  describe('against a scripted server', () => {
    let server: Server;
    let url: string;
    const posted: unknown[] = [];
    before(async () => {
      server = createServer((req, res) => {
        void body(req).then((text) => {
          if (req.url === '/api/v1/log/entries') {
            const entry = JSON.parse(text) as { apiVersion: string };
            posted.push(entry);
            res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 400, message: `no ${entry.apiVersion} here` }));
          } else if (req.url === '/api/v1/index/retrieve') {
            res.writeHead(501, { 'content-type': 'application/json' }).end('{"code":501,"message":"Not Implemented"}');
          } else {
            res.writeHead(404).end();
          }
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('intoto without a version tries 0.0.2, then 0.0.1 after a 400', async () => {
      const stmt = signedStatement();
      const envelope = join(dir, 'env.json');
      writeFileSync(envelope, JSON.stringify({ payload: stmt.payload.toString('base64'), payloadType: 'application/vnd.in-toto+json', signatures: [{ sig: stmt.signature.toString('base64') }] }));
      const key = join(dir, 'k.pem');
      writeFileSync(key, stmt.publicKeyPem);
      const result = await run('--rekor_server', url, '--retry', '0', 'upload', '--type', 'intoto', '--artifact', envelope, '--public-key', key);
      assert.equal(result.code, 1);
      assert.deepEqual(posted.map((p) => (p as { apiVersion: string }).apiVersion), ['0.0.2', '0.0.1']);
      assert.match(result.stderr, /^failed to upload entry: \[POST \/api\/v1\/log\/entries\]\[400\] createLogEntry: no 0\.0\.2 here\n/);
      assert.match(result.stderr, /\n\[POST \/api\/v1\/log\/entries\]\[400\] createLogEntry: no 0\.0\.1 here\n$/);
      posted.length = 0;
      const pinned = await run('--rekor_server', url, 'upload', '--type', 'intoto:0.0.2', '--artifact', envelope, '--public-key', key);
      assert.equal(pinned.code, 1);
      assert.equal(posted.length, 1);
    });

    it('search against a server without a search index', async () => {
      const result = await run('--rekor_server', url, 'search', '--sha', 'a'.repeat(64));
      assert.equal(result.code, 1);
      assert.equal(result.stderr, `search index not enabled on ${url}\n`);
    });
  });
});
