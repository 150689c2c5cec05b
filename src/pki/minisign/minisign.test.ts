import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isRekorError } from '../../errors.js';
import { testdataPath } from '../../../test/testdata.js';
import { minisignSearchKey, parseMinisignPublicKey, parseMinisignSignature, verifyMinisignSignature } from './index.js';

const fixture = (name: string) => new Uint8Array(readFileSync(testdataPath('artifacts', 'minisign', name)));
const text = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const str = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('minisign fixtures', () => {
  const data = fixture('hello_world.txt');
  const cases = [
    { name: 'legacy Ed signature, full .pub', key: 'minisign.pub', sig: 'hello_world.txt.minisig', alg: 'Ed' },
    { name: 'legacy Ed signature, bare key line', key: 'minisign_key_only.pub', sig: 'hello_world.txt.minisig', alg: 'Ed' },
    { name: 'prehashed ED signature', key: 'minisign_hashed.pub', sig: 'hello_world_hashed.txt.minisig', alg: 'ED' },
    { name: 'signify two-line signature', key: 'signify.pub', sig: 'hello_world.txt.signify', alg: 'Ed' },
  ];
  for (const c of cases) {
    test(`${c.name} verifies; altered data, wrong key and truncation fail`, () => {
      const key = parseMinisignPublicKey(fixture(c.key));
      const sig = parseMinisignSignature(fixture(c.sig));
      assert.equal(sig.algorithm, c.alg);
      assert.deepEqual(key.subjects, []);
      assert.deepEqual(verifyMinisignSignature(sig, key, data), { valid: true });
      const altered = Uint8Array.from(data);
      altered[0] = (altered[0] as number) ^ 1;
      assert.deepEqual(verifyMinisignSignature(sig, key, altered), { valid: false, reason: 'verification of signed message failed' });
      const other = parseMinisignPublicKey(fixture(c.key === 'signify.pub' ? 'minisign.pub' : 'signify.pub'));
      assert.deepEqual(verifyMinisignSignature(sig, other, data), { valid: false, reason: 'incompatible key identifiers' });
      const raw = fixture(c.sig);
      assert.throws(() => parseMinisignSignature(raw.subarray(0, raw.indexOf(0x0a) + 40)), (e) => isRekorError(e, 'invalid_entry'));
    });
  }

  test('canonical key and signature forms', () => {
    const key = parseMinisignPublicKey(fixture('minisign.pub'));
    assert.equal(str(key.canonical), 'RWQ/VK4mEZOSnVFf2NhEt9WV8zE1RcN8mtKeOO7mVjj/MCDvb5tSV6RD');
    assert.deepEqual(parseMinisignPublicKey(key.canonical).canonical, key.canonical);
    const sig = parseMinisignSignature(fixture('hello_world.txt.minisig'));
    assert.equal(
      str(sig.canonical),
      'untrusted comment:\nRWQ/VK4mEZOSnVsP2aVAcwlCDu0V5VUqqGeE6mndH9v7wY4++PrZdB0HBRyVpt4/h0VDzQIvLenPpmTRSx1604Bac6Joz08phg4=',
    );
    // The canonical signature is itself a signify-format signature.
    assert.deepEqual(parseMinisignSignature(sig.canonical).canonical, sig.canonical);
    const want = createHash('sha256').update(key.canonical).digest('hex');
    assert.equal(minisignSearchKey(fixture('minisign.pub')), want);
    assert.equal(minisignSearchKey(fixture('minisign_key_only.pub')), want);
  });

  test('legacy raw 32-byte key verifies without a key ID check', () => {
    const full = parseMinisignPublicKey(fixture('minisign.pub'));
    const raw = Buffer.from(str(full.canonical), 'base64').subarray(10);
    const legacy = parseMinisignPublicKey(new Uint8Array(raw));
    assert.equal(legacy.keyId, undefined);
    assert.equal(str(legacy.canonical), raw.toString('base64'));
    assert.deepEqual(parseMinisignPublicKey(legacy.canonical).canonical, legacy.canonical);
    const sig = parseMinisignSignature(fixture('hello_world.txt.minisig'));
    assert.deepEqual(verifyMinisignSignature(sig, legacy, fixture('hello_world.txt')), { valid: true });
  });
});

describe('minisign parse errors', () => {
  const cases: Array<{ name: string; parse: 'key' | 'sig'; input: string; wantErr: string | RegExp }> = [
    { name: 'empty key', parse: 'key', input: '', wantErr: /Invalid encoded public key/ },
    { name: 'key of wrong size', parse: 'key', input: 'untrusted comment: x\nRWQ/VK4mEZOSnVFf\n', wantErr: /Invalid encoded public key/ },
    { name: 'key with unknown algorithm', parse: 'key', input: Buffer.alloc(42, 0x41).toString('base64'), wantErr: /unsupported key algorithm/ },
    { name: 'one-line signature', parse: 'sig', input: 'untrusted comment: x', wantErr: 'invalid signature provided: 1 lines detected' },
    { name: 'signify bad base64', parse: 'sig', input: 'c\n!!!!\n', wantErr: 'invalid signature provided: base64 decoding failed' },
    { name: 'signify short', parse: 'sig', input: 'c\nRWQ/VK4m\n', wantErr: 'invalid signature provided: incorrect size 6 detected' },
    { name: 'three lines', parse: 'sig', input: 'a\nb\nc\n', wantErr: 'invalid signature provided: 3 lines detected' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const run = () => (c.parse === 'key' ? parseMinisignPublicKey(text(c.input)) : parseMinisignSignature(text(c.input)));
      assert.throws(run, (e: unknown) => {
        assert.ok(isRekorError(e, 'invalid_entry'));
        if (typeof c.wantErr === 'string') assert.equal(e.message, c.wantErr);
        else assert.match(e.message, c.wantErr);
        return true;
      });
    });
  }

  test('unknown signature algorithm is refused at verification', () => {
    const key = parseMinisignPublicKey(fixture('minisign.pub'));
    const bin = Buffer.from(str(parseMinisignSignature(fixture('hello_world.txt.minisig')).canonical).split('\n')[1] as string, 'base64');
    bin.write('Xx', 0, 'latin1');
    const sig = parseMinisignSignature(text(`c\n${bin.toString('base64')}`));
    assert.deepEqual(verifyMinisignSignature(sig, key, fixture('hello_world.txt')), { valid: false, reason: 'unsupported signature algorithm' });
  });
});

describe('minisign made with the real tool', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rekor-minisign-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) => execFileSync('minisign', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  run('-G', '-p', 'pub', '-s', 'sec', '-W');
  writeFileSync(join(dir, 'data'), 'some artifact\n');
  const cases = [
    { name: 'default (prehashed ED)', flags: [] as string[], alg: 'ED' },
    { name: 'legacy (-l, Ed)', flags: ['-l'], alg: 'Ed' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const sigFile = `data.${c.alg}.minisig`;
      run('-S', ...c.flags, '-s', 'sec', '-x', sigFile, '-m', 'data');
      const key = parseMinisignPublicKey(new Uint8Array(readFileSync(join(dir, 'pub'))));
      const sig = parseMinisignSignature(new Uint8Array(readFileSync(join(dir, sigFile))));
      assert.equal(sig.algorithm, c.alg);
      const data = new Uint8Array(readFileSync(join(dir, 'data')));
      assert.deepEqual(verifyMinisignSignature(sig, key, data), { valid: true });
      assert.deepEqual(verifyMinisignSignature(sig, key, text('other')), { valid: false, reason: 'verification of signed message failed' });
      // Rekor stores the canonical forms; they must verify as well.
      assert.deepEqual(verifyMinisignSignature(parseMinisignSignature(sig.canonical), parseMinisignPublicKey(key.canonical), data), { valid: true });
    });
  }
});
