/**
 * End to end for the kinds whose inputs are whole packages or documents (rpm, jar, alpine, helm,
 * tuf, rfc3161): the real rekor-cli uploads fixtures made by the real tools to the real
 * rekor-server, then gets, verifies (by UUID and by artifact) and searches for each, with the
 * flags Rekor's Go CLI takes for that kind. One server, fixtures built once, CLI calls batched.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApkBuilder } from '../src/types/alpine/testonly.js';
import { CHART_DIGEST, provenanceSigner, provenanceText } from '../src/types/helm/v0.0.1/testonly.js';
import { jarWorkspace } from '../src/types/jar/v0.0.1/testonly.js';
import { createRpmFactory } from '../src/types/rpm/v0.0.1/testonly.js';
import { ed25519Key, rootSigned, signEnvelope, timestampSigned } from '../src/types/tuf/v0.0.1/testonly.js';
import { runCli, type CliRun } from './cli-process.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { testdataPath } from './testdata.js';

type Kind = 'rpm' | 'jar' | 'alpine' | 'helm' | 'tuf' | 'rfc3161';

interface Fixture {
  /** The --artifact file (the package, the JAR, helm's .prov, the TUF metadata, the TSR). */
  artifact: string;
  /** The --public-key file, where the kind takes one (tuf: the root metadata). */
  key?: string;
  /** The Go struct field `get` prints the spec under. */
  field: string;
  /** Searches (beyond the flags) that must find exactly this entry. */
  searches: string[][];
}

const KINDS: readonly Kind[] = ['rpm', 'jar', 'alpine', 'helm', 'tuf', 'rfc3161'];

describe('rekor-cli with rpm, jar, alpine, helm, tuf and rfc3161 against a real rekor-server', () => {
  let dir: string;
  let server: ServerProcess;
  let home: string;
  const fixtures = {} as Record<Kind, Fixture>;
  const uuids = {} as Record<Kind, string>;
  const cli = (...args: string[]): Promise<CliRun> => runCli(args, { home, env: { REKOR_REKOR_SERVER: server.url } });
  const file = (name: string, content: string | Uint8Array): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  /** The artifact flags for `kind`: --type, --artifact and, where the kind takes one, --public-key. */
  const artifactFlags = (kind: Kind, f: Fixture = fixtures[kind]): string[] => ['--type', kind, '--artifact', f.artifact, ...(f.key === undefined ? [] : ['--public-key', f.key])];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rekor-cli-kinds-'));
    home = join(dir, 'home');
    const serverStarted = startServerProcess({ dataDir: join(dir, 'data') });

    const rpm = createRpmFactory();
    const jar = jarWorkspace();
    const apk = new ApkBuilder();
    const helm = provenanceSigner('Chart Maintainer <charts@example.com>');
    try {
      const rpmKey = rpm.addKey('RPM Signer <rpm-signer@example.com>', 'rsa2048');
      fixtures.rpm = {
        artifact: file('hello.rpm', rpm.sign(rpm.build(), { signer: 'rpm-signer@example.com' })),
        key: file('rpm-key.asc', rpmKey),
        field: 'RPMModel',
        searches: [['--public-key', join(dir, 'rpm-key.asc'), '--pki-format', 'pgp'], ['--email', 'rpm-signer@example.com']],
      };
      jar.makeKey('signer', 'EC');
      fixtures.jar = { artifact: file('signed.jar', jar.sign(jar.unsignedJar(), 'signer')), field: 'JARModel', searches: [] };
      fixtures.alpine = {
        artifact: file('hello.apk', apk.build().apk),
        key: file('alpine.rsa.pub', apk.publicKey),
        field: 'AlpineModel',
        searches: [['--public-key', join(dir, 'alpine.rsa.pub'), '--pki-format', 'x509']],
      };
      fixtures.helm = {
        artifact: file('demo-1.2.3.tgz.prov', helm.clearsign(provenanceText())),
        key: file('helm-key.asc', helm.publicKey),
        field: 'HelmObj',
        // helm indexes the chart digest the provenance names, not the .prov file's own hash.
        searches: [['--sha', `sha256:${CHART_DIGEST}`], ['--public-key', join(dir, 'helm-key.asc'), '--pki-format', 'pgp'], ['--email', 'charts@example.com']],
      };
    } finally {
      rpm.dispose();
      jar.dispose();
      apk.dispose();
      helm.dispose();
    }
    const tufKey = ed25519Key();
    const root = signEnvelope(rootSigned({ keys: { root: [tufKey], timestamp: [tufKey], snapshot: [tufKey], targets: [tufKey] } }), [tufKey]);
    fixtures.tuf = {
      artifact: file('timestamp.json', JSON.stringify(signEnvelope(timestampSigned(), [tufKey]))),
      key: file('root.json', JSON.stringify(root)),
      field: 'TufObj',
      searches: [['--public-key', join(dir, 'root.json'), '--pki-format', 'tuf']],
    };
    fixtures.rfc3161 = { artifact: file('rekor-test.tsr', readFileSync(testdataPath('artifacts', 'rfc3161', 'rekor-test.tsr'))), field: 'Rfc3161Obj', searches: [] };
    // Every kind but helm and tuf indexes the sha256 of the artifact file itself.
    for (const kind of ['rpm', 'jar', 'alpine', 'rfc3161'] as const) fixtures[kind].searches.push(['--artifact', fixtures[kind].artifact]);
    server = await serverStarted;
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('upload creates one entry per kind and reports a second upload as already existing', async () => {
    const runs = await Promise.all(KINDS.map((kind) => cli('--format', 'json', 'upload', ...artifactFlags(kind))));
    const indices = runs.map((run, i) => {
      assert.equal(run.code, 0, `${KINDS[i]}: ${run.stderr}`);
      const out = JSON.parse(run.stdout) as { AlreadyExists: boolean; Location: string; Index: number };
      assert.equal(out.AlreadyExists, false);
      const uuid = /^\/api\/v1\/log\/entries\/([0-9a-f]{80})$/.exec(out.Location)?.[1];
      assert.ok(uuid, out.Location);
      uuids[KINDS[i] as Kind] = uuid;
      return out.Index;
    });
    assert.deepEqual([...indices].sort(), [0, 1, 2, 3, 4, 5]);

    const again = await Promise.all(KINDS.map((kind) => cli('upload', ...artifactFlags(kind))));
    for (const [i, run] of again.entries()) {
      const kind = KINDS[i] as Kind;
      assert.equal(run.code, 0, `${kind}: ${run.stderr}`);
      assert.equal(run.stdout, `Entry already exists; available at: ${server.url}/api/v1/log/entries/${uuids[kind]}\n`);
    }
  });

  it('get prints each entry under its Go struct field; verify by UUID and by artifact agree', async () => {
    const runs = await Promise.all(
      KINDS.flatMap((kind) => [cli('--format', 'json', 'get', '--uuid', uuids[kind]), cli('verify', '--uuid', uuids[kind]), cli('verify', ...artifactFlags(kind))]),
    );
    for (const [i, kind] of KINDS.entries()) {
      const [get, byUuid, byArtifact] = runs.slice(3 * i, 3 * i + 3) as [CliRun, CliRun, CliRun];
      for (const run of [get, byUuid, byArtifact]) assert.equal(run.code, 0, `${kind}: ${run.stderr}`);
      const got = JSON.parse(get.stdout) as { UUID: string; Body: Record<string, unknown> };
      assert.equal(got.UUID, uuids[kind]);
      assert.deepEqual(Object.keys(got.Body), [fixtures[kind].field], kind);
      assert.match(byUuid.stdout, new RegExp(`^Current Root Hash: [0-9a-f]{64}\\nEntry Hash: ${uuids[kind].slice(16)}\\nEntry Index in Current Tree: \\d\\nCurrent Tree Size: 6\\n`), kind);
      assert.equal(byArtifact.stdout, byUuid.stdout, kind);
    }
    // Specific spec contents: what the server stored is what the CLI proposed.
    const body = (kind: Kind) => (JSON.parse(runs[3 * KINDS.indexOf(kind)]?.stdout ?? '') as { Body: Record<string, Record<string, unknown>> }).Body[fixtures[kind].field] ?? {};
    assert.deepEqual(body('helm')['chart'], { hash: { algorithm: 'sha256', value: CHART_DIGEST }, provenance: { signature: { content: (body('helm')['chart'] as { provenance: { signature: { content: string } } }).provenance.signature.content } } });
    assert.equal((body('rfc3161')['tsr'] as { content: string }).content, readFileSync(fixtures.rfc3161.artifact).toString('base64'));
    assert.deepEqual(Object.keys(body('tuf')).sort(), ['metadata', 'root', 'spec_version']);
  });

  it('verify by artifact fails for inputs that are not in the log or do not verify', async () => {
    const other = { ...fixtures.rpm, key: fixtures.helm.key as string };
    const [wrongKey, missingKey, twoRoots, rpmNoKey, tsrUrl] = await Promise.all([
      cli('verify', ...artifactFlags('rpm', other)),
      cli('upload', '--type', 'alpine', '--artifact', fixtures.alpine.artifact),
      cli('upload', '--type', 'tuf', '--artifact', fixtures.tuf.artifact, '--public-key', `${fixtures.tuf.key},${fixtures.tuf.key}`),
      cli('verify', '--type', 'rpm', '--artifact', fixtures.rpm.artifact),
      cli('upload', '--type', 'rfc3161', '--allow-urls', '--artifact', `${server.url}/rekor-test.tsr`),
    ]);
    // Rekor's messages, as its CLI prints them (it wraps NewProposedEntry's error in "error: ").
    assert.notEqual(rpmNoKey.code, 0);
    assert.equal(rpmNoKey.stderr, 'error: only one public key must be provided to verify RPM signature\n');
    assert.notEqual(tsrUrl.code, 0);
    assert.equal(tsrUrl.stderr, 'error: RFC3161 timestamps cannot be fetched over HTTP(S)\n');
    assert.equal(wrongKey.code, 1);
    assert.match(wrongKey.stderr, /^\[POST \/api\/v1\/log\/entries\/retrieve\]\[400\] searchLogQuery: /);
    assert.notEqual(missingKey.code, 0);
    assert.match(missingKey.stderr, /^error: only one public key must be provided\n$/);
    assert.notEqual(twoRoots.code, 0);
    assert.match(twoRoots.stderr, /^error: only one path to root file must be specified\n$/);
  });

  it('search finds each entry by the index keys Rekor gives its kind', async () => {
    const queries = KINDS.flatMap((kind) => fixtures[kind].searches.map((args) => ({ kind, args })));
    const runs = await Promise.all(queries.map(({ args }) => cli('search', ...args)));
    for (const [i, run] of runs.entries()) {
      const { kind, args } = queries[i] as { kind: Kind; args: string[] };
      assert.equal(run.code, 0, `${kind} ${args.join(' ')}: ${run.stderr}`);
      assert.equal(run.stdout, `${uuids[kind]}\n`, `${kind} ${args.join(' ')}`);
    }
    assert.ok(queries.length >= 11);
  });
});
