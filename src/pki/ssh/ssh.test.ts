import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isRekorError } from '../../errors.js';
import { testdataPath } from '../../../test/testdata.js';
import { decodePem, encodePem } from '../pem.js';
import { parseSshPublicKey, parseSshSignature, sshSearchKey, verifySshSignature } from './index.js';
import { uint32, wireString } from './wire.js';

const fixture = (name: string) => new Uint8Array(readFileSync(testdataPath('artifacts', 'ssh', name)));
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const str = (b: Uint8Array) => Buffer.from(b).toString('latin1');

function throwsInvalid(run: () => unknown, want: string | RegExp): void {
  assert.throws(run, (e: unknown) => {
    assert.ok(isRekorError(e, 'invalid_entry'), `unexpected ${String(e)}`);
    if (typeof want === 'string') assert.equal(e.message, want);
    else assert.match(e.message, want);
    return true;
  });
}

/** Builds an SSHSIG armor from the fixture's parts with one field replaced. */
function sshsig(fields: Partial<{ magic: string; version: number; ns: string; hash: string; tail: Uint8Array }>): Uint8Array {
  const fixtureSig = parseSshSignature(fixture('hello_world.txt.sig'));
  const inner = wireString(fixtureSig.format, fixtureSig.blob);
  const body = Buffer.concat([
    Buffer.from(fields.magic ?? 'SSHSIG', 'latin1'),
    uint32(fields.version ?? 1),
    wireString(fixtureSig.embeddedKey.blob, fields.ns ?? 'file', '', fields.hash ?? 'sha512', inner),
    fields.tail ?? new Uint8Array(),
  ]);
  return bytes(encodePem('SSH SIGNATURE', body));
}

describe('ssh fixture (rekor pkg/pki/ssh testdata)', () => {
  const data = fixture('hello_world.txt');
  const key = parseSshPublicKey(fixture('id_rsa.pub'));
  const sig = parseSshSignature(fixture('hello_world.txt.sig'));

  test('key: canonical drops the comment, subjects hold the email comment', () => {
    const want = `${str(fixture('id_rsa.pub')).split(' ').slice(0, 2).join(' ')}\n`;
    assert.equal(str(key.canonical), want);
    assert.deepEqual(key.subjects, ['test@rekor.dev']);
    assert.equal(sshSearchKey(fixture('id_rsa.pub')), createHash('sha256').update(want).digest('hex'));
    assert.deepEqual(parseSshPublicKey(key.canonical).canonical, key.canonical);
  });

  test('signature verifies, canonical form re-parses to itself and verifies', () => {
    assert.equal(sig.format, 'rsa-sha2-512');
    assert.deepEqual(verifySshSignature(sig, key, data), { valid: true });
    const again = parseSshSignature(sig.canonical);
    assert.deepEqual(again.canonical, sig.canonical);
    assert.deepEqual(decodePem(sig.canonical).block?.bytes, decodePem(fixture('hello_world.txt.sig')).block?.bytes);
    assert.deepEqual(verifySshSignature(again, parseSshPublicKey(key.canonical), data), { valid: true });
  });

  const failures = [
    { name: 'altered data', data: bytes('Hello, ssh world?\n'), key: () => key, reason: 'ssh: signature did not verify' },
    {
      name: 'wrong key type',
      data,
      key: () => parseSshPublicKey(bytes('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGbYqv8q0hPyNUhgD9c9Vw5zjwRm/8mu1rhd7IqxGvD1 x')),
      reason: 'ssh: signature type rsa-sha2-512 for key type ssh-ed25519',
    },
  ];
  for (const c of failures) {
    test(`${c.name} fails`, () => assert.deepEqual(verifySshSignature(sig, c.key(), c.data), { valid: false, reason: c.reason }));
  }

  test('truncated signature is refused', () => {
    const body = decodePem(fixture('hello_world.txt.sig')).block?.bytes as Uint8Array;
    for (const length of [0, 5, 9, 100, 430, body.length - 1]) {
      throwsInvalid(() => parseSshSignature(bytes(encodePem('SSH SIGNATURE', body.subarray(0, length)))), /^ssh: short read/);
    }
    const armored = str(fixture('hello_world.txt.sig'));
    throwsInvalid(() => parseSshSignature(bytes(armored.slice(0, armored.length / 2))), 'unable to decode pem file');
  });
});

describe('ssh parse errors', () => {
  const key = str(fixture('id_rsa.pub')).trim();
  const keyCases = [
    { name: 'empty', input: '', wantErr: 'ssh: no key found' },
    { name: 'comment line only', input: '# nothing\n', wantErr: 'ssh: no key found' },
    { name: 'bad base64', input: 'ssh-rsa AAAA!!!! x', wantErr: 'ssh: no key found' },
    { name: 'unsupported type', input: `ssh-dss ${Buffer.from(wireString('ssh-dss', 'x')).toString('base64')}`, wantErr: 'ssh: no key found' },
    { name: 'over 64 KiB', input: `${key} ${'a'.repeat(65536)}`, wantErr: 'ssh public key larger than 65536 bytes' },
  ];
  for (const c of keyCases) test(`key: ${c.name}`, () => throwsInvalid(() => parseSshPublicKey(bytes(c.input)), c.wantErr));

  test('key: options field, blank and comment lines, CRLF are accepted', () => {
    const parsed = parseSshPublicKey(bytes(`\n# keys\r\nfrom="a b",no-pty ${key}\r\n`));
    assert.equal(str(parsed.canonical), `${key.split(' ').slice(0, 2).join(' ')}\n`);
    assert.deepEqual(parsed.subjects, ['test@rekor.dev']);
    assert.deepEqual(parseSshPublicKey(bytes(`${key.split(' ').slice(0, 2).join(' ')} build host`)).subjects, []);
  });

  const sigCases = [
    { name: 'not PEM', input: bytes('hello'), wantErr: 'unable to decode pem file' },
    { name: 'wrong PEM type', input: bytes(encodePem('PUBLIC KEY', new Uint8Array(8))), wantErr: 'wrong pem block type: PUBLIC KEY. Expected SSH-SIGNATURE' },
    { name: 'version 2', input: sshsig({ version: 2 }), wantErr: 'unsupported signature version: 2' },
    { name: 'bad magic', input: sshsig({ magic: 'SSHSIX' }), wantErr: 'invalid magic header: SSHSIX' },
    { name: 'namespace', input: sshsig({ ns: 'git' }), wantErr: 'invalid signature namespace: git' },
    { name: 'hash', input: sshsig({ hash: 'md5' }), wantErr: 'unsupported hash algorithm: md5' },
    { name: 'junk after the fields', input: sshsig({ tail: new Uint8Array(3) }), wantErr: 'ssh: junk at end of ssh signature' },
    { name: 'huge length prefix', input: bytes(encodePem('SSH SIGNATURE', Buffer.from('SSHSIG\0\0\0\x01\xff\xff\xff\xff', 'latin1'))), wantErr: 'ssh: short read in ssh signature' },
  ];
  for (const c of sigCases) test(`signature: ${c.name}`, () => throwsInvalid(() => parseSshSignature(c.input), c.wantErr));
});

describe('ssh made with ssh-keygen', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rekor-ssh-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const keygen = (...args: string[]) => execFileSync('ssh-keygen', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const read = (name: string) => new Uint8Array(readFileSync(join(dir, name)));
  writeFileSync(join(dir, 'data'), 'an artifact to log\n');
  const keyTypes = [
    { name: 'ed25519', args: ['-t', 'ed25519'] },
    { name: 'ecdsa-256', args: ['-t', 'ecdsa', '-b', '256'] },
    { name: 'ecdsa-384', args: ['-t', 'ecdsa', '-b', '384'] },
    { name: 'ecdsa-521', args: ['-t', 'ecdsa', '-b', '521'] },
    { name: 'rsa', args: ['-t', 'rsa', '-b', '2048'] },
  ];
  for (const k of keyTypes) {
    test(`${k.name}: sha512 verifies, sha256 is refused, other namespace is refused`, () => {
      keygen(...k.args, '-N', '', '-C', 'alice@example.com', '-f', k.name);
      const key = parseSshPublicKey(read(`${k.name}.pub`));
      assert.deepEqual(key.subjects, ['alice@example.com']);
      const data = read('data');
      const sign = (out: string, ...extra: string[]) => {
        writeFileSync(join(dir, out), data);
        keygen('-Y', 'sign', '-f', k.name, ...extra, out);
        return parseSshSignature(read(`${out}.sig`));
      };
      const sig = sign(`${k.name}.512`, '-n', 'file');
      assert.deepEqual(verifySshSignature(sig, key, data), { valid: true });
      assert.deepEqual(verifySshSignature(parseSshSignature(sig.canonical), key, data), { valid: true });
      assert.equal(verifySshSignature(sig, key, bytes('other')).valid, false);
      const sha256 = sign(`${k.name}.256`, '-n', 'file', '-O', 'hashalg=sha256');
      assert.equal(sha256.statedHashAlgorithm, 'sha256');
      assert.equal(verifySshSignature(sha256, key, data).valid, false);
      writeFileSync(join(dir, `${k.name}.ns`), data);
      keygen('-Y', 'sign', '-f', k.name, '-n', 'git', `${k.name}.ns`);
      throwsInvalid(() => parseSshSignature(read(`${k.name}.ns.sig`)), 'invalid signature namespace: git');
    });
  }
});
