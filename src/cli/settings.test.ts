/** Settings precedence (flag, REKOR_* env, config file, default), the state file, and the hashing progress bar. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hashInput } from './files.js';
import { parseDuration, resolveSettings } from './settings.js';
import { dumpState, loadState, stateFile } from './state.js';

describe('rekor-cli settings and local files', () => {
  let home: string;
  const saved = { HOME: process.env['HOME'], REKOR_FORMAT: process.env['REKOR_FORMAT'], REKOR_REKOR_SERVER: process.env['REKOR_REKOR_SERVER'] };
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'rekor-cli-settings-'));
    process.env['HOME'] = home;
    delete process.env['REKOR_FORMAT'];
    delete process.env['REKOR_REKOR_SERVER'];
  });
  after(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(home, { recursive: true, force: true });
  });

  it('takes a flag over REKOR_* env over $HOME/.rekor.yaml over the default', () => {
    assert.equal(resolveSettings({}).settings.server, 'http://localhost:3000');
    writeFileSync(join(home, '.rekor.yaml'), 'format: json\nrekor_server: http://from-yaml:1\ntimeout: 1m30s\nstore_tree_state: false\n');
    let s = resolveSettings({}).settings;
    assert.deepEqual([s.format, s.server, s.timeoutMs, s.storeTreeState], ['json', 'http://from-yaml:1', 90_000, false]);
    process.env['REKOR_FORMAT'] = 'default';
    process.env['REKOR_REKOR_SERVER'] = 'http://from-env:2';
    s = resolveSettings({}).settings;
    assert.deepEqual([s.format, s.server], ['default', 'http://from-env:2']);
    s = resolveSettings({ rekor_server: 'http://from-flag:3', format: 'json' }).settings;
    assert.deepEqual([s.format, s.server], ['json', 'http://from-flag:3']);
    assert.equal(parseDuration('500ms'), 500);
    assert.throws(() => parseDuration('0s'), /positive/);
  });

  it('keeps checkpoints under several keys in $HOME/.rekor/state.json, mode 0600', () => {
    assert.equal(loadState('1'), undefined);
    dumpState(['1', 'http://a'], 'cp one\n');
    dumpState(['2'], 'cp two\n');
    assert.equal(stateFile(), join(home, '.rekor', 'state.json'));
    assert.deepEqual(JSON.parse(readFileSync(stateFile(), 'utf8')), { '1': 'cp one\n', 'http://a': 'cp one\n', '2': 'cp two\n' });
    assert.equal(statSync(stateFile()).mode & 0o777, 0o600);
    writeFileSync(stateFile(), '{not json');
    assert.equal(loadState('1'), undefined);
  });

  it('shows a progress bar while hashing a large artifact, only when stderr is a terminal', async () => {
    const dir = join(home, 'big');
    mkdirSync(dir);
    const path = join(dir, 'artifact.bin');
    const bytes = Buffer.alloc(9 * 1024 * 1024, 7);
    writeFileSync(path, bytes);
    const want = createHash('sha256').update(bytes).digest('hex');
    const stderr = process.stderr as unknown as { isTTY: boolean | undefined; write: (text: string) => boolean };
    const { isTTY, write } = stderr;
    let shown = '';
    stderr.write = (text: string) => ((shown += text), true);
    try {
      stderr.isTTY = false;
      assert.equal(await hashInput(path, 'artifact', { allowUrls: false, timeoutMs: 1000 }), want);
      assert.equal(shown, '');
      stderr.isTTY = true;
      assert.equal(await hashInput(path, 'artifact', { allowUrls: false, timeoutMs: 1000 }), want);
    } finally {
      stderr.isTTY = isTTY;
      stderr.write = write;
    }
    assert.match(shown, /\rhashing \[#{30}\] 100% of 9\.0 MiB\n$/);
    assert.ok(shown.split('\r').length > 3, 'the bar advances');
  });
});
