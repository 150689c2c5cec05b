/**
 * End to end: the real rekor-server as a child process and the real rekor-cli as child
 * processes, for every command. Independent invocations run concurrently to keep the suite short.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createGpgHome, generateKey } from '../src/pki/pgp/testonly.js';
import { runCli, type CliRun } from './cli-process.js';
import { hashedRekord, signArtifact, signedStatement } from './entries.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

describe('rekor-cli against a real rekor-server', () => {
  let dir: string;
  let server: ServerProcess;
  let home: string;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]): Promise<CliRun> => runCli(args, { home, env });
  const file = (name: string, content: string | Uint8Array): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const signed = signArtifact();
  let art: { artifact: string; signature: string; key: string };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rekor-cli-e2e-'));
    home = join(dir, 'home');
    server = await startServerProcess({ dataDir: join(dir, 'data') });
    env = { REKOR_REKOR_SERVER: server.url };
    art = { artifact: file('a.bin', signed.artifact), signature: file('a.sig', signed.signature), key: file('a.pem', signed.publicKeyPem) };
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--help for every command documents its flags and the exit codes', async () => {
    const commands = ['get', 'loginfo', 'logproof', 'search', 'upload', 'verify', 'version'];
    const runs = await Promise.all([cli('--help'), ...commands.map((c) => cli(c, '--help'))]);
    for (const [i, run] of runs.entries()) {
      const name = i === 0 ? '' : ` ${commands[i - 1]}`;
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`^Usage: rekor-cli${name} \\[options\\]`));
      assert.match(run.stdout, /Exit status:\n  0  success\n  1  verification failed.*\n  2  usage error/);
      assert.match(run.stdout, /--rekor_server <url>/);
    }
    assert.match(runs[0]?.stdout ?? '', /loginfo[\s\S]*get[\s\S]*verify[\s\S]*logproof[\s\S]*search[\s\S]*upload[\s\S]*version/);
    const flags: Record<string, RegExp[]> = {
      get: [/--uuid/, /--log-index/],
      logproof: [/--first-size/, /--last-size/, /--tree-id/],
      search: [/--artifact/, /--sha/, /--public-key/, /--pki-format/, /--email/, /--subject/, /--operator/],
      upload: [/--type/, /--artifact /, /--signature/, /--public-key/, /--pki-format/, /--entry/, /--artifact-hash/, /--aad/],
      verify: [/--uuid/, /--log-index/, /--artifact /, /--offline/, /--bundle/, /--trusted-root/],
    };
    for (const [command, patterns] of Object.entries(flags)) {
      const out = runs[commands.indexOf(command) + 1]?.stdout ?? '';
      for (const pattern of patterns) assert.match(out, pattern, command);
    }

  });

  it('loginfo, upload, get, verify, logproof, search and version work end to end', async () => {
    const empty = await cli('loginfo');
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(empty.stdout, /^Verification Successful!\nActive Tree Size:       0\nTotal Tree Size:        0\nRoot Hash:              e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nTreeID:                 \d+\n$/);
    assert.match(empty.stderr, /No previous log state stored, unable to prove consistency/);

    // hashedrekord (default type), then the same again (409)
    const up = await cli('upload', '--artifact', art.artifact, '--signature', art.signature, '--public-key', art.key);
    assert.equal(up.code, 0, up.stderr);
    const created = new RegExp(`^Created entry at index 0, available at: ${server.url}/api/v1/log/entries/([0-9a-f]{80})\\n$`).exec(up.stdout);
    assert.ok(created, up.stdout);
    const entryId = created[1] as string;
    const again = await cli('--format', 'json', 'upload', '--artifact', art.artifact, '--signature', art.signature, '--public-key', art.key);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(JSON.parse(again.stdout), { AlreadyExists: true, Location: `/api/v1/log/entries/${entryId}`, Index: 0 });

    // rekord, dsse and intoto (0.0.2 by default) from files
    const other = signArtifact();
    const stmt = signedStatement();
    const envelope = file('env.json', JSON.stringify({ payload: stmt.payload.toString('base64'), payloadType: 'application/vnd.in-toto+json', signatures: [{ sig: stmt.signature.toString('base64'), keyid: '' }] }));
    const stmtKey = file('stmt.pem', stmt.publicKeyPem);
    const uploads = await Promise.all([
      cli('--format', 'json', 'upload', '--type', 'rekord', '--artifact', file('b.bin', other.artifact), '--signature', file('b.sig', other.signature), '--public-key', file('b.pem', other.publicKeyPem)),
      cli('--format', 'json', 'upload', '--type', 'dsse', '--artifact', envelope, '--public-key', stmtKey),
      cli('--format', 'json', 'upload', '--type', 'intoto', '--artifact', envelope, '--public-key', stmtKey),
    ]);
    const indices = uploads.map((run) => {
      assert.equal(run.code, 0, run.stderr);
      const out = JSON.parse(run.stdout) as { AlreadyExists: boolean; Index: number; Location: string };
      assert.equal(out.AlreadyExists, false);
      assert.match(out.Location, /^\/api\/v1\/log\/entries\/[0-9a-f]{80}$/);
      return out.Index;
    });
    assert.deepEqual([...indices].sort(), [1, 2, 3]);
    const bad = file('bad.sig', Buffer.from(other.signature).reverse());
    const rejected = await cli('upload', '--artifact', art.artifact, '--signature', bad, '--public-key', art.key);
    assert.equal(rejected.code, 1);
    assert.match(rejected.stderr, /\[400\]/);

    const [text, json, tle, logentry, byUuid, intoto] = await Promise.all([
      cli('get', '--log-index', '0'),
      cli('--format', 'json', 'get', '--uuid', entryId),
      cli('--format', 'tle', 'get', '--log-index', '0'),
      cli('--format', 'logentry', 'get', '--log-index', '0'),
      cli('get', '--uuid', entryId.slice(16)),
      cli('--format', 'json', 'get', '--log-index', String(indices[2])),
    ]);
    for (const run of [text, json, tle, logentry, byUuid, intoto]) assert.equal(run.code, 0, run.stderr);
    assert.match(text.stdout, new RegExp(`^LogID: [0-9a-f]{64}\\nIndex: 0\\nIntegratedTime: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\nUUID: ${entryId}\\nBody: \\{\\n  "HashedRekordObj": \\{\\n    "data": \\{`));
    assert.ok(text.stdout.endsWith('}\n\n'));
    assert.equal(byUuid.stdout, text.stdout);
    const got = JSON.parse(json.stdout) as Record<string, unknown>;
    // Rekor's fields in Rekor's order, then the served LogEntry (ours) for verify --offline --entry.
    assert.deepEqual(Object.keys(got), ['Attestation', 'AttestationType', 'Body', 'LogIndex', 'IntegratedTime', 'UUID', 'LogID', 'LogEntry']);
    assert.equal(got['UUID'], entryId);
    assert.equal((got['Body'] as { HashedRekordObj: { data: { hash: { value: string } } } }).HashedRekordObj.data.hash.value, signed.digestHex);
    const t = JSON.parse(tle.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(t), ['logIndex', 'logId', 'kindVersion', 'integratedTime', 'inclusionPromise', 'inclusionProof', 'canonicalizedBody']);
    assert.deepEqual(t['kindVersion'], { kind: 'hashedrekord', version: '0.0.1' });
    assert.equal(t['logIndex'], '0');
    const intotoOut = JSON.parse(intoto.stdout) as { Body: Record<string, unknown>; Attestation: string };
    assert.deepEqual(Object.keys(intotoOut.Body), ['IntotoObj']);
    assert.equal(intotoOut.Attestation, stmt.payload.toString('utf8'));

    const notLogged = signArtifact();
    const [vUuid, vIndex, vArtifact, vMissing, proof, proofJson] = await Promise.all([
      cli('verify', '--uuid', entryId),
      cli('--format', 'json', 'verify', '--log-index', '0'),
      cli('verify', '--artifact', art.artifact, '--signature', art.signature, '--public-key', art.key),
      cli('verify', '--artifact', file('c.bin', notLogged.artifact), '--signature', file('c.sig', notLogged.signature), '--public-key', file('c.pem', notLogged.publicKeyPem)),
      cli('logproof', '--last-size', '4'),
      cli('--format', 'json', 'logproof', '--first-size', '2', '--last-size', '4'),
    ]);
    assert.equal(vUuid.code, 0, vUuid.stderr);
    assert.match(vUuid.stdout, new RegExp(`^Current Root Hash: ([0-9a-f]{64})\\nEntry Hash: ${entryId.slice(16)}\\nEntry Index in Current Tree: 0\\nCurrent Tree Size: 4\\nCheckpoint:\\n`));
    const roots = /Computed Root Hash: ([0-9a-f]{64})\nExpected Root Hash: ([0-9a-f]{64})\n$/.exec(vUuid.stdout);
    assert.ok(roots && roots[1] === roots[2]);
    assert.equal((vUuid.stdout.match(/SHA256\(0x01 \| /g) ?? []).length, 2);
    assert.equal(vArtifact.stdout, vUuid.stdout);
    const vj = JSON.parse(vIndex.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(vj), ['RootHash', 'EntryUUID', 'Index', 'Size', 'Hashes', 'Checkpoint']);
    assert.equal(vMissing.code, 1);
    assert.equal(vMissing.stderr, 'entry in log cannot be located\n');
    assert.equal(proof.code, 0, proof.stderr);
    assert.match(proof.stdout, /^Current Root Hash: [0-9a-f]{64}\nHashes: \[[0-9a-f]{64},[0-9a-f]{64}\]\n$/);
    const pj = JSON.parse(proofJson.stdout) as { RootHash: string; Hashes: string[] };
    assert.equal(pj.Hashes.length, 1);

    const noStateHome = join(dir, 'home-nostate');
    const [byArtifact, bySha, byKey, none, noState, vEntry] = await Promise.all([
      cli('search', '--artifact', art.artifact),
      cli('--format', 'json', 'search', '--sha', `sha256:${signed.digestHex}`),
      cli('search', '--public-key', art.key, '--pki-format', 'x509'),
      cli('search', '--email', 'nobody@example.com'),
      runCli(['--store_tree_state=false', 'loginfo'], { home: noStateHome, env }),
      cli('verify', '--entry', file('proposed.json', JSON.stringify(hashedRekord(signed)))),
    ]);
    assert.equal(noState.code, 0, noState.stderr);
    assert.equal(existsSync(join(noStateHome, '.rekor', 'state.json')), false);
    assert.equal(vEntry.code, 0, vEntry.stderr);
    assert.match(vEntry.stdout, new RegExp(`^Current Root Hash: [0-9a-f]{64}\\nEntry Hash: ${entryId.slice(16)}\\n`));
    assert.equal(byArtifact.code, 0, byArtifact.stderr);
    assert.equal(byArtifact.stdout, `${entryId}\n`);
    assert.equal(byArtifact.stderr, 'Found matching entries (listed by UUID):\n');
    assert.deepEqual(JSON.parse(bySha.stdout), { UUIDs: [entryId] });
    assert.equal(byKey.stdout, `${entryId}\n`);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no matching entries found/);

    const info = await cli('--format', 'json', 'loginfo');
    assert.equal(info.code, 0, info.stderr);
    const li = JSON.parse(info.stdout) as { ActiveTreeSize: number; TotalTreeSize: number; RootHash: string; TreeID: string };
    assert.equal(li.ActiveTreeSize, 4);
    assert.equal(li.RootHash, roots[1]);
    const statePath = join(home, '.rekor', 'state.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as Record<string, string>;
    assert.deepEqual(Object.keys(state).sort(), [li.TreeID, server.url].sort());
    assert.match(state[li.TreeID] ?? '', /^127\.0\.0\.1 - \d+\n4\n/);
    assert.equal(statSync(statePath).mode & 0o777, 0o600);
    const consistent = await cli('loginfo');
    assert.equal(consistent.code, 0, consistent.stderr);
    assert.doesNotMatch(consistent.stderr, /No previous log state/);

    const version = await cli('version');
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^rekor-cli: Rekor CLI/);
    assert.match(version.stdout, /GitVersion:\s+v\d+\.\d+\.\d+/);
  });

  it('rekord with PGP and SSH signatures made by gpg and ssh-keygen; search by PGP key and email', async () => {
    const gpg = createGpgHome();
    try {
      generateKey(gpg, 'CLI Tester <cli-tester@example.com>', 'ed25519');
      const artifact = file('pgp.txt', 'signed by gpg\n');
      const pgpKey = file('pgp.asc', gpg.run(['--armor', '--export', 'cli-tester@example.com']));
      const pgpSig = file('pgp.txt.asc', gpg.run(['--armor', '--detach-sign', '--output', '-', artifact]));
      const sshKey = join(dir, 'ssh_key');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'cli@example.com', '-f', sshKey]);
      const sshArtifact = file('ssh.txt', 'signed by ssh-keygen\n');
      execFileSync('ssh-keygen', ['-Y', 'sign', '-f', sshKey, '-n', 'file', sshArtifact], { stdio: 'ignore' });
      const [pgp, ssh] = await Promise.all([
        cli('upload', '--type', 'rekord', '--pki-format', 'pgp', '--artifact', artifact, '--signature', pgpSig, '--public-key', pgpKey),
        cli('upload', '--type', 'rekord', '--pki-format', 'ssh', '--artifact', sshArtifact, '--signature', `${sshArtifact}.sig`, '--public-key', `${sshKey}.pub`),
      ]);
      assert.equal(pgp.code, 0, pgp.stderr);
      assert.equal(ssh.code, 0, ssh.stderr);
      const pgpId = /entries\/([0-9a-f]{80})\n$/.exec(pgp.stdout)?.[1];
      assert.ok(pgpId);
      const [byKey, byEmail, wrongFormat] = await Promise.all([
        cli('search', '--public-key', pgpKey, '--pki-format', 'pgp'),
        cli('search', '--email', 'cli-tester@example.com'),
        cli('upload', '--type', 'rekord', '--pki-format', 'x509', '--artifact', artifact, '--signature', pgpSig, '--public-key', pgpKey),
      ]);
      assert.equal(byKey.stdout, `${pgpId}\n`);
      assert.equal(byEmail.stdout, `${pgpId}\n`);
      assert.equal(wrongFormat.code, 1);
      assert.match(wrongFormat.stderr, /^\[POST \/api\/v1\/log\/entries\]\[400\] createLogEntry: /);
    } finally {
      gpg.dispose();
    }
  });

  it('verify --offline checks a stored entry with the log key; a tampered one or the wrong key fails', async () => {
    const logKey = file('rekor.pub', await (await fetch(`${server.url}/api/v1/log/publicKey`)).text());
    const saved = await cli('--format', 'logentry', 'get', '--log-index', '0');
    assert.equal(saved.code, 0, saved.stderr);
    const entryFile = file('entry.json', saved.stdout);
    const entry = JSON.parse(saved.stdout) as Record<string, { integratedTime: number; verification: { inclusionProof: { hashes: string[] } } }>;
    const [uuid] = Object.keys(entry) as [string];
    const tamperedTime = structuredClone(entry);
    (tamperedTime[uuid] as { integratedTime: number }).integratedTime += 1;
    const wrongKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const tamperedProof = structuredClone(entry);
    tamperedProof[uuid]?.verification.inclusionProof.hashes.reverse();
    const bundled = await cli('--format', 'bundle', 'get', '--log-index', '0');
    assert.equal(bundled.code, 0, bundled.stderr);
    const bundle = JSON.parse(bundled.stdout) as { mediaType: string; messageSignature: { messageDigest: { digest: string }; signature: string } };
    assert.equal(bundle.mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
    assert.equal(Buffer.from(bundle.messageSignature.messageDigest.digest, 'base64').toString('hex'), signed.digestHex);
    assert.equal(bundle.messageSignature.signature, signed.signature.toString('base64'));
    const notBundled = await cli('--format', 'bundle', 'get', '--log-index', '2');
    assert.equal(notBundled.code, 1);
    assert.match(notBundled.stderr, /--format bundle needs a hashedrekord entry/);
    const asJson = await cli('--format', 'json', 'get', '--log-index', '0');
    assert.equal(asJson.code, 0, asJson.stderr);
    const jsonOutput = JSON.parse(asJson.stdout) as { UUID: string; LogIndex: number; LogEntry: unknown };
    assert.equal(jsonOutput.UUID, uuid);
    assert.equal(jsonOutput.LogIndex, 0);
    assert.deepEqual(jsonOutput.LogEntry, entry);
    const tamperedJson = { ...jsonOutput, LogEntry: tamperedTime };
    const [fromJson, fromTamperedJson] = await Promise.all([
      cli('verify', '--offline', '--entry', file('get.json', asJson.stdout), '--public-key', logKey),
      cli('verify', '--offline', '--entry', file('get-tampered.json', JSON.stringify(tamperedJson)), '--public-key', logKey),
    ]);
    assert.equal(fromJson.code, 0, fromJson.stderr);
    assert.match(fromJson.stdout, /tlog entry 0: log index 0, hashedrekord 0\.0\.1\n/);
    assert.equal(fromTamperedJson.code, 1, fromTamperedJson.stdout);
    const [ok, okJson, time, key, proof, fromBundle] = await Promise.all([
      cli('verify', '--offline', '--entry', entryFile, '--public-key', logKey, '--rekor_server', 'http://127.0.0.1:9'),
      cli('--format', 'json', 'verify', '--offline', '--entry', entryFile, '--public-key', logKey),
      cli('verify', '--offline', '--entry', file('t1.json', JSON.stringify(tamperedTime)), '--public-key', logKey),
      cli('verify', '--offline', '--entry', entryFile, '--public-key', file('wrong.pub', wrongKey)),
      cli('verify', '--offline', '--entry', file('t2.json', JSON.stringify(tamperedProof)), '--public-key', logKey),
      cli('verify', '--offline', '--bundle', file('bundle.json', bundled.stdout), '--public-key', logKey),
    ]);
    assert.equal(fromBundle.code, 0, fromBundle.stderr);
    assert.match(fromBundle.stdout, /^Verification Successful! \(offline\)\nSigstore bundle v0\.3: .*bundle\.json\ntlog entry 0: log index 0, hashedrekord 0\.0\.1\n/);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, new RegExp(`^Verification Successful! \\(offline\\)\\nRekor log entry: .*entry.json\\ntlog entry 0: log index 0, hashedrekord 0.0.1\\n`));
    assert.match(ok.stdout, /inclusion proof: +verified\n  checkpoint: +verified \(127\.0\.0\.1 - \d+, size 6\)\n  signed entry timestamp: verified/);
    assert.equal((JSON.parse(okJson.stdout) as { Entries: { UUID: string }[] }).Entries[0]?.UUID, uuid.slice(16));
    assert.equal(time.code, 1);
    assert.match(time.stderr, /signed entry timestamp for log index 0 does not verify \[SET_INVALID\]/);
    assert.equal(key.code, 1);
    assert.match(key.stderr, /no trusted log has log ID [0-9a-f]{64} \[NO_TRUSTED_LOG\]/);
    assert.equal(proof.code, 1);
    assert.match(proof.stderr, /inclusion proof for leaf 0 of tree size 6: .* \[INCLUSION_PROOF_INVALID\]/);

    // Online, a pinned key that is not the log's fails get and verify alike.
    const pinned = { ...env, REKOR_REKOR_SERVER_PUBLIC_KEY: wrongKey };
    const [get, verify] = await Promise.all([runCli(['get', '--log-index', '0'], { home, env: pinned }), runCli(['verify', '--log-index', '0'], { home, env: pinned })]);
    assert.equal(get.code, 1);
    assert.match(get.stderr, /^unable to verify entry was added to log: no trusted log has log ID/);
    assert.equal(verify.code, 1);
    assert.match(verify.stderr, /^validating entry: /);
    assert.equal(createHash('sha256').update(readFileSync(entryFile)).digest('hex').length, 64);
  });
});
