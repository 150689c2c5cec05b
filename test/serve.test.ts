/**
 * `rekor-server serve` as an operator meets it: identity created once and kept, refused when the
 * key or hostname does not match the data dir, encrypted keys, configuration precedence and
 * problems, and --help.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, resolveConfig } from '../src/main/config.js';
import { ARTIFACT, x509Material } from '../src/types/rekord/v0.0.1/testonly.js';
import { hashedRekord } from './entries.js';
import { startServerProcess } from './server-process.js';
import { repoRoot } from './testdata.js';

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'rekor-ts-serve-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Runs the CLI to completion (for starts that must fail), with its exit code and stderr. */
async function serveFails(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, [join(repoRoot, 'bin', 'rekor-server.js'), 'serve', '--port', '0', ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      timeout: 30_000,
    });
  } catch (err) {
    const failure = err as { code: number; stderr: string };
    return { code: failure.code, stderr: failure.stderr };
  }
  assert.fail('the server started');
}

async function logInfo(url: string): Promise<{ treeID: string; treeSize: number }> {
  return (await (await fetch(`${url}/api/v1/log`)).json()) as { treeID: string; treeSize: number };
}

describe('rekor-server serve', () => {
  it('creates the key (0600) and the tree once, and keeps both across restarts', async () => {
    const dataDir = join(root, 'keep');
    const first = await startServerProcess({ dataDir });
    const info = await logInfo(first.url);
    const key = await (await fetch(`${first.url}/api/v1/log/publicKey`)).text();
    assert.equal(await first.stop(), 0, first.stderr());
    assert.equal(statSync(join(dataDir, 'signer.pem')).mode & 0o777, 0o600);

    const second = await startServerProcess({ dataDir });
    assert.equal((await logInfo(second.url)).treeID, info.treeID);
    assert.equal(await (await fetch(`${second.url}/api/v1/log/publicKey`)).text(), key);
    assert.equal(await second.stop(), 0, second.stderr());
  });

  it('refuses a key that does not match the data dir, another hostname, and a lost key', async () => {
    const dataDir = join(root, 'refuse');
    const first = await startServerProcess({ dataDir });
    assert.equal(await first.stop(), 0);
    const otherKey = join(root, 'other.pem');
    writeFileSync(otherKey, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));

    const wrongKey = await serveFails(['--data-dir', dataDir, '--hostname', '127.0.0.1', '--signer', otherKey]);
    assert.equal(wrongKey.code, 1);
    assert.match(wrongKey.stderr, /signing key does not match the log in this database/);

    const wrongHost = await serveFails(['--data-dir', dataDir, '--hostname', 'elsewhere.example']);
    assert.match(wrongHost.stderr, /start with --hostname 127\.0\.0\.1/);

    unlinkSync(join(dataDir, 'signer.pem'));
    const lost = await serveFails(['--data-dir', dataDir, '--hostname', '127.0.0.1']);
    assert.match(lost.stderr, /signer\.pem is missing but the data dir holds a log/);
  });

  it('signs with an encrypted --signer key whose password comes from REKOR_SIGNER_PASSWORD', async () => {
    const keyFile = join(root, 'encrypted.pem');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse' }));
    const dataDir = join(root, 'encrypted');

    const noPassword = await serveFails(['--data-dir', dataDir, '--signer', keyFile]);
    assert.match(noPassword.stderr, /cannot load signer key .*encrypted\.pem/);
    const wrong = await serveFails(['--data-dir', dataDir, '--signer', keyFile], { REKOR_SIGNER_PASSWORD: 'wrong' });
    assert.match(wrong.stderr, /cannot load signer key/);

    const server = await startServerProcess({ dataDir, args: ['--signer', keyFile], env: { REKOR_SIGNER_PASSWORD: 'correct horse' } });
    const served = await (await fetch(`${server.url}/api/v1/log/publicKey`)).text();
    assert.equal(await server.stop(), 0, server.stderr());
    assert.equal(served, createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }));
  });

  it('applies --client-signing-algorithms and --allow-url-fetch in the verification threads', async () => {
    const artifact = x509Material('ec');
    const site = createServer((req, res) => {
      const files: Record<string, Uint8Array> = { '/artifact': ARTIFACT, '/signature': artifact.signature, '/key': artifact.key };
      const file = files[req.url ?? ''];
      if (file === undefined) res.writeHead(404).end();
      else res.end(file);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    const server = await startServerProcess({
      dataDir: join(root, 'policy'),
      args: ['--client-signing-algorithms', 'ecdsa-sha2-384-nistp384', '--allow-url-fetch', origin],
    });
    try {
      const post = (entry: unknown) =>
        fetch(`${server.url}/api/v1/log/entries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(entry) });
      const p256 = await post(hashedRekord());
      assert.equal(p256.status, 400);
      assert.match(((await p256.json()) as { message: string }).message, /entry algorithms are not allowed/);
      const key384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
      const p384 = await post({
        kind: 'hashedrekord',
        apiVersion: '0.0.1',
        spec: {
          data: { hash: { algorithm: 'sha384', value: createHash('sha384').update(ARTIFACT).digest('hex') } },
          signature: {
            content: sign('sha384', ARTIFACT, key384.privateKey).toString('base64'),
            publicKey: { content: Buffer.from(key384.publicKey.export({ type: 'spki', format: 'pem' })).toString('base64') },
          },
        },
      });
      assert.equal(p384.status, 201, await p384.clone().text());
      const byUrl = await post({
        kind: 'rekord',
        apiVersion: '0.0.1',
        spec: { data: { url: `${origin}/artifact` }, signature: { format: 'x509', url: `${origin}/signature`, publicKey: { url: `${origin}/key` } } },
      });
      assert.equal(byUrl.status, 201, await byUrl.clone().text());
    } finally {
      assert.equal(await server.stop(), 0, server.stderr());
      site.closeAllConnections();
      site.close();
    }
  });

  it('answers entry reads the same with --read-threads 0 and with read threads', async () => {
    const dataDir = join(root, 'read-threads');
    const writer = await startServerProcess({ dataDir, args: ['--read-threads', '0'] });
    const uuids: string[] = [];
    try {
      for (let i = 0; i < 12; i += 1) {
        const created = await fetch(`${writer.url}/api/v1/log/entries`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(hashedRekord()),
        });
        assert.equal(created.status, 201);
        uuids.push(created.headers.get('etag') as string);
      }
    } finally {
      assert.equal(await writer.stop(), 0, writer.stderr());
    }
    const reads: Array<[string, RequestInit?]> = [
      ['/api/v1/log/entries?logIndex=0'],
      ['/api/v1/log/entries?logIndex=11'],
      ['/api/v1/log/entries?logIndex=12'],
      [`/api/v1/log/entries/${uuids[5]}`],
      [`/api/v1/log/entries/${(uuids[5] as string).slice(16)}`],
      [`/api/v1/log/entries/${'ab'.repeat(32)}`],
      [
        '/api/v1/log/entries/retrieve',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ entryUUIDs: [uuids[3], (uuids[4] as string).slice(16)], logIndexes: [7, 99, 2] }),
        },
      ],
    ];
    const answers = async (args: string[]): Promise<string[]> => {
      const server = await startServerProcess({ dataDir, args });
      try {
        return await Promise.all(
          reads.map(async ([path, init]) => {
            const response = await fetch(`${server.url}${path}`, init);
            const headers = ['content-type', 'cache-control', 'etag'].map((h) => `${h}: ${response.headers.get(h)}`);
            return `${response.status} ${headers.join(' ')}\n${await response.text()}`;
          }),
        );
      } finally {
        assert.equal(await server.stop(), 0, server.stderr());
      }
    };
    const inLoop = await answers(['--read-threads', '0']);
    const threaded = await answers(['--read-threads', '2']);
    assert.deepEqual(threaded, inLoop);
    assert.match(inLoop[0] as string, /^200 content-type: application\/json cache-control: no-cache/);
    assert.match(inLoop[2] as string, /^404 /);
    assert.match(inLoop[5] as string, /^404 /);
    const retrieved = JSON.parse((inLoop[6] as string).split('\n').slice(1).join('\n')) as Array<Record<string, { logIndex: number }>>;
    assert.deepEqual(retrieved.map((e) => Object.values(e)[0]?.logIndex), [3, 4, 7, 2]);
  });

  it('reports every configuration problem at once and exits 2', async () => {
    const bad = await serveFails(['--port', 'http', '--batch-size', '0'], { REKOR_MAX_PENDING: '-3' });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--port: want a port number/);
    assert.match(bad.stderr, /--batch-size: want a whole number >= 1/);
    assert.match(bad.stderr, /REKOR_MAX_PENDING: want a whole number >= 1/);
  });

  it('documents every setting in --help', async () => {
    const { stdout } = await run(process.execPath, [join(repoRoot, 'bin', 'rekor-server.js'), 'serve', '--help']);
    for (const flag of ['--port', '--address', '--data-dir', '--hostname', '--signer', '--max-request-body-size', '--max-attestation-size', '--batch-size', '--batch-age', '--max-pending', '--enabled-entry-types', '--client-signing-algorithms', '--allow-url-fetch', '--url-fetch-max-size', '--url-fetch-timeout', '--workers', '--verify-threads', '--read-threads', '--log-level', '--config', 'REKOR_SIGNER_PASSWORD']) {
      assert.ok(stdout.includes(flag), `--help mentions ${flag}`);
    }
  });
});

describe('resolveConfig', () => {
  const yamlText = 'port: 4000\nhostname: from-yaml\nbatch-size: 7\nenabled-entry-types: [hashedrekord, dsse]\n';
  const cases = [
    { name: 'defaults', flags: {}, env: {}, yaml: undefined, want: { port: 3000, batchSize: 512, dataDir: './data', maxApkMetadataSize: 1_048_576 } },
    { name: 'apk metadata limit 0 means none', flags: { maxApkMetadataSize: '0' }, env: {}, yaml: undefined, want: { maxApkMetadataSize: 0 } },
    { name: 'yaml over defaults', flags: {}, env: {}, yaml: yamlText, want: { port: 4000, hostname: 'from-yaml', batchSize: 7, enabledEntryTypes: ['hashedrekord', 'dsse'] } },
    { name: 'env over yaml', flags: {}, env: { REKOR_PORT: '5000' }, yaml: yamlText, want: { port: 5000, hostname: 'from-yaml' } },
    { name: 'flags over env', flags: { port: '6000' }, env: { REKOR_PORT: '5000' }, yaml: yamlText, want: { port: 6000 } },
    { name: 'list from env', flags: {}, env: { REKOR_ENABLED_ENTRY_TYPES: 'hashedrekord, intoto' }, yaml: undefined, want: { enabledEntryTypes: ['hashedrekord', 'intoto'] } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const config = resolveConfig({ flags: c.flags, env: c.env, ...(c.yaml === undefined ? {} : { yamlText: c.yaml, yamlName: 'test.yaml' }) });
      for (const [key, value] of Object.entries(c.want)) assert.deepEqual((config as unknown as Record<string, unknown>)[key], value, key);
    });
  }
  it('lists unknown YAML settings and malformed YAML', () => {
    assert.throws(() => resolveConfig({ flags: {}, env: {}, yamlText: 'prot: 1\n', yamlName: 'x.yaml' }), (err: unknown) =>
      err instanceof ConfigError && err.problems.some((p) => p.includes('unknown setting "prot"')),
    );
    assert.throws(() => resolveConfig({ flags: {}, env: {}, yamlText: '[1, 2', yamlName: 'x.yaml' }), ConfigError);
  });
});
