import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc24, decodeArmor, encodeArmor, splitArmoredBlocks } from './armor.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

test('crc24 matches the CRC-24/OPENPGP check values', () => {
  assert.equal(crc24(new Uint8Array(0)), 0xb704ce);
  assert.equal(crc24(new TextEncoder().encode('123456789')), 0x21cf02);
});

test('encodeArmor writes Go armor form', () => {
  const cases = [
    { name: 'short body', body: new Uint8Array([1, 2, 3]), want: '-----BEGIN PGP SIGNATURE-----\n\nAQID\n=' },
    { name: 'exactly one line (48 bytes)', body: new Uint8Array(48), want: `-----BEGIN PGP SIGNATURE-----\n\n${'A'.repeat(64)}\n=` },
  ];
  for (const c of cases) {
    const armored = text(encodeArmor('PGP SIGNATURE', c.body));
    assert.ok(armored.startsWith(c.want), c.name);
    assert.ok(armored.endsWith('\n-----END PGP SIGNATURE-----'), c.name);
  }
});

test('encodeArmor breaks base64 at 64 columns and round-trips through decodeArmor', () => {
  const body = new Uint8Array(500).map((_, i) => (i * 31) & 0xff);
  const armored = text(encodeArmor('PGP PUBLIC KEY BLOCK', body));
  const lines = armored.split('\n');
  const base64Lines = lines.slice(2, -2);
  assert.ok(base64Lines.slice(0, -1).every((line) => line.length === 64));
  assert.match(lines.at(-2) as string, /^=[A-Za-z0-9+/]{4}$/);
  assert.deepEqual(decodeArmor(armored), { type: 'PGP PUBLIC KEY BLOCK', body });
});

test('decodeArmor', () => {
  const good = text(encodeArmor('PGP SIGNATURE', new Uint8Array([9, 8, 7, 6])));
  const cases = [
    { name: 'garbage before BEGIN is skipped', input: `junk\n${good}`, ok: true },
    { name: 'headers are skipped', input: good.replace('-----\n\n', '-----\nVersion: x\nComment: y\n\n'), ok: true },
    { name: 'CRLF line ends', input: good.replaceAll('\n', '\r\n'), ok: true },
    { name: 'no checksum', input: good.replace(/\n=.{4}\n/, '\n'), ok: true },
    { name: 'wrong checksum', input: good.replace(/\n=.{4}\n/, '\n=AAAA\n'), ok: false },
    { name: 'mismatched END', input: good.replace('END PGP SIGNATURE', 'END PGP MESSAGE'), ok: false },
    { name: 'no END', input: good.slice(0, good.lastIndexOf('\n')), ok: false },
    { name: 'bad base64', input: good.replace('CQgHBg', 'CQ*HBg'), ok: false },
    { name: 'no BEGIN', input: 'hello', ok: false },
  ];
  for (const c of cases) assert.equal(decodeArmor(c.input) !== undefined, c.ok, c.name);
});

test('splitArmoredBlocks ends each block at an END PGP line', () => {
  const one = text(encodeArmor('PGP PUBLIC KEY BLOCK', new Uint8Array([1])));
  const two = text(encodeArmor('PGP PUBLIC KEY BLOCK', new Uint8Array([2])));
  const blocks = splitArmoredBlocks(`${one}\n${two}\ntrailing text`);
  assert.equal(blocks.length, 2);
  assert.deepEqual(decodeArmor(blocks[1] as string)?.body, new Uint8Array([2]));
});
