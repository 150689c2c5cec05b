import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { crc32, deflateRawSync } from 'node:zlib';
import { readGzipMember } from './gzip-member.js';

/** A gzip member written by hand, with the optional header fields gzip(1) rarely writes. */
function member(payload: Buffer, opts: { name?: string; comment?: string; extra?: Buffer; hcrc?: boolean } = {}): Buffer {
  let flags = 0;
  const fields: Buffer[] = [];
  if (opts.extra !== undefined) {
    flags |= 0x04;
    const len = Buffer.alloc(2);
    len.writeUInt16LE(opts.extra.length);
    fields.push(len, opts.extra);
  }
  if (opts.name !== undefined) {
    flags |= 0x08;
    fields.push(Buffer.from(`${opts.name}\0`, 'latin1'));
  }
  if (opts.comment !== undefined) {
    flags |= 0x10;
    fields.push(Buffer.from(`${opts.comment}\0`, 'latin1'));
  }
  if (opts.hcrc === true) flags |= 0x02;
  let header = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, flags, 0, 0, 0, 0, 0, 3]), ...fields]);
  if (opts.hcrc === true) {
    const crc = Buffer.alloc(2);
    crc.writeUInt16LE(crc32(header) & 0xffff);
    header = Buffer.concat([header, crc]);
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(payload));
  trailer.writeUInt32LE(payload.length, 4);
  return Buffer.concat([header, deflateRawSync(payload), trailer]);
}

describe('gzip members read as Go reads them with Multistream(false)', () => {
  const payload = Buffer.from('hello, gzip\n'.repeat(50));

  test('members written by gzip(1) end exactly where the next one starts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'alpine-gzip-'));
    try {
      writeFileSync(join(dir, 'a'), payload);
      const a = execFileSync('gzip', ['-9', '-c', join(dir, 'a')]); // with FNAME
      const b = execFileSync('gzip', ['-n', '-1', '-c'], { input: 'second' });
      const both = Buffer.concat([a, b, Buffer.from('trailing garbage')]);
      const first = readGzipMember(both, 0, 1 << 20);
      assert.ok(first.ok);
      assert.deepEqual(first.output, payload);
      assert.equal(first.end, a.length);
      const second = readGzipMember(both, first.end, 1 << 20);
      assert.ok(second.ok);
      assert.equal(second.output.toString(), 'second');
      assert.equal(second.end, a.length + b.length);
      assert.deepEqual(readGzipMember(both, second.end, 10), { ok: false, stage: 'header', error: 'gzip: invalid header' });
      assert.deepEqual(readGzipMember(both, both.length, 10), { ok: false, stage: 'header', error: 'EOF' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('FEXTRA, FNAME, FCOMMENT and FHCRC headers', () => {
    const m = member(payload, { extra: Buffer.from('xyz'), name: 'file', comment: 'note', hcrc: true });
    const read = readGzipMember(m, 0, 1 << 20);
    assert.ok(read.ok);
    assert.equal(read.end, m.length);
    const badHcrc = Buffer.from(m);
    badHcrc.writeUInt16LE(badHcrc.readUInt16LE(10 + 2 + 3 + 5 + 5) ^ 1, 10 + 2 + 3 + 5 + 5);
    assert.deepEqual(readGzipMember(badHcrc, 0, 1 << 20), { ok: false, stage: 'header', error: 'gzip: invalid header' });
  });

  test('header strings longer than Go’s 511-byte buffer are refused; a header cut short is unexpected EOF', () => {
    assert.ok(readGzipMember(member(payload, { name: 'n'.repeat(511) }), 0, 1 << 20).ok);
    assert.deepEqual(readGzipMember(member(payload, { name: 'n'.repeat(512) }), 0, 1 << 20), { ok: false, stage: 'header', error: 'gzip: invalid header' });
    const m = member(payload, { name: 'name' });
    for (const cut of [1, 9, 12]) assert.deepEqual(readGzipMember(m.subarray(0, cut), 0, 1 << 20), { ok: false, stage: 'header', error: 'unexpected EOF' });
  });

  test('trailer checks: CRC, ISIZE, missing bytes', () => {
    const m = member(payload);
    const badCrc = Buffer.from(m);
    badCrc.writeUInt32LE(badCrc.readUInt32LE(m.length - 8) ^ 1, m.length - 8);
    assert.deepEqual(readGzipMember(badCrc, 0, 1 << 20), { ok: false, stage: 'body', error: 'gzip: invalid checksum' });
    const badSize = Buffer.from(m);
    badSize.writeUInt32LE(1, m.length - 4);
    assert.deepEqual(readGzipMember(badSize, 0, 1 << 20), { ok: false, stage: 'body', error: 'gzip: invalid checksum' });
    assert.deepEqual(readGzipMember(m.subarray(0, m.length - 1), 0, 1 << 20), { ok: false, stage: 'body', error: 'unexpected EOF' });
  });

  test('inflation stops at the cap (a bomb costs at most cap + 1 bytes)', () => {
    const bomb = member(Buffer.alloc(64 << 20));
    assert.ok(bomb.length < 100_000);
    const started = Date.now();
    assert.deepEqual(readGzipMember(bomb, 0, 1 << 20), { ok: false, stage: 'cap', size: (1 << 20) + 1 });
    assert.ok(Date.now() - started < 2000);
    const exact = member(Buffer.alloc(1000));
    assert.ok(readGzipMember(exact, 0, 1000).ok);
    assert.deepEqual(readGzipMember(exact, 0, 999), { ok: false, stage: 'cap', size: 1000 });
  });
});
