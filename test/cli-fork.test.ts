/**
 * The split-view alarm. Two logs share an origin, tree ID and key because B starts from a copy
 * of A's data directory; then each appends different entries. A client that verified A's
 * checkpoint must not accept B's: `rekor-cli loginfo` against A, then B (the state is keyed by
 * the shared tree ID, as in Rekor), alarms with both checkpoints and the failing proof, exits 1
 * and keeps the state it had, so it alarms again next time. The same log, grown honestly,
 * stays consistent.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from './cli-process.js';
import { hashedRekord } from './entries.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

async function append(server: ServerProcess, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${server.url}/api/v1/log/entries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(hashedRekord()),
    });
    assert.equal(response.status, 201, await response.text());
  }
}

describe('rekor-cli loginfo detects a forked log', () => {
  let dir: string;
  let a: ServerProcess;
  let b: ServerProcess;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rekor-cli-fork-'));
    const first = await startServerProcess({ dataDir: join(dir, 'a') });
    await append(first, 2);
    assert.equal(await first.stop(), 0);
    cpSync(join(dir, 'a'), join(dir, 'b'), { recursive: true });
    [a, b] = await Promise.all([startServerProcess({ dataDir: join(dir, 'a') }), startServerProcess({ dataDir: join(dir, 'b') })]);
    await Promise.all([append(a, 1), append(b, 2)]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('alarms on B after A, and on A after B; an honest log stays consistent', async () => {
    const home = join(dir, 'home-ab');
    const seenA = await runCli(['--rekor_server', a.url, 'loginfo'], { home });
    assert.equal(seenA.code, 0, seenA.stderr);
    assert.match(seenA.stdout, /Active Tree Size:       3\n/);
    const stateFile = join(home, '.rekor', 'state.json');
    const stateBefore = readFileSync(stateFile, 'utf8');
    const checkpointA = Object.values(JSON.parse(stateBefore) as Record<string, string>)[0] as string;

    // B is larger: the consistency proof B serves from size 3 cannot reach A's root.
    const [forked, forkedAgain] = [await runCli(['--rekor_server', b.url, 'loginfo'], { home }), await runCli(['--rekor_server', b.url, 'loginfo'], { home })];
    for (const run of [forked, forkedAgain]) {
      assert.equal(run.code, 1, run.stdout);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^!!! ALARM: THE LOG IS NOT CONSISTENT WITH THE CHECKPOINT YOU VERIFIED BEFORE !!!\n/);
      assert.match(run.stderr, /reason: consistency proof from size 3 to 4 does not verify: calculated root1 does not match expected root1\n/);
      assert.ok(run.stderr.includes(checkpointA.trimEnd().split('\n').map((l) => `    ${l}`).join('\n')), 'the stored checkpoint is shown');
      assert.match(run.stderr, /checkpoint the log serves now:\n    127\.0\.0\.1 - \d+\n    4\n/);
      assert.match(run.stderr, /consistency proof from GET \/api\/v1\/log\/proof\?firstSize=3&lastSize=4&treeID=\d+:\n    hashes\[0\] = [0-9a-f]{64}\n/);
    }
    assert.equal(readFileSync(stateFile, 'utf8'), stateBefore, 'the alarm leaves the state unchanged');

    // The other way round: B first (size 4), then A (size 3) looks like a rollback.
    const homeBA = join(dir, 'home-ba');
    assert.equal((await runCli(['--rekor_server', b.url, 'loginfo'], { home: homeBA })).code, 0);
    const rollback = await runCli(['--rekor_server', a.url, 'loginfo'], { home: homeBA });
    assert.equal(rollback.code, 1);
    assert.match(rollback.stderr, /reason: the log's tree size 3 is smaller than the verified tree size 4\n/);

    // Same size, different root: grow A to 4 and compare with B's stored 4.
    await append(a, 1);
    const sameSize = await runCli(['--rekor_server', a.url, 'loginfo'], { home: homeBA });
    assert.equal(sameSize.code, 1);
    assert.match(sameSize.stderr, /reason: old root hash does not match STH hash \(both trees have size 4\)\n/);

    // A grown honestly from what the first client saw is consistent.
    const honest = await runCli(['--rekor_server', a.url, 'loginfo'], { home });
    assert.equal(honest.code, 0, honest.stderr);
    assert.match(honest.stdout, /^Verification Successful!\nActive Tree Size:       4\n/);
  });
});
