import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { goString, MAX_HEADER_DATA, MAX_HEADER_ENTRIES, parseRpm, RPM_TYPE, SIG_TAG, TAG } from './rpm-header.js';
import { createRpmFactory, layout, type RpmFactory } from './testonly.js';
import { invalidEntryWith } from '../../../fuzz-testonly.js';

function expectError(file: Uint8Array, want: string | RegExp): void {
  assert.throws(
    () => parseRpm(file),
    invalidEntryWith(want),
  );
}

interface RawEntry {
  tag: number;
  type: number;
  offset: number;
  count: number;
}

/** A header block from raw index entries and a data store, padded to 8 when `pad`. */
function headerBlock(entries: readonly RawEntry[], data: Uint8Array, pad: boolean, override?: { count?: number; size?: number }): Buffer {
  const intro = Buffer.alloc(16);
  intro.writeUInt32BE(0x8eade801, 0);
  intro.writeUInt32BE(override?.count ?? entries.length, 8);
  intro.writeUInt32BE(override?.size ?? data.length, 12);
  const table = Buffer.alloc(16 * entries.length);
  entries.forEach((e, i) => {
    table.writeInt32BE(e.tag, i * 16);
    table.writeInt32BE(e.type, i * 16 + 4);
    table.writeInt32BE(e.offset, i * 16 + 8);
    table.writeInt32BE(e.count, i * 16 + 12);
  });
  const padding = pad ? Buffer.alloc((8 - (data.length % 8)) % 8) : Buffer.alloc(0);
  return Buffer.concat([intro, table, data, padding]);
}

function lead(): Buffer {
  const out = Buffer.alloc(96);
  out.writeUInt32BE(0xedabeedb, 0);
  return out;
}

const NEVRA_DATA = Buffer.from('name\u00001.0\u00002\u0000noarch\u0000\u0000\u0000\u0000\u0000\u0000\u0007');
const NEVRA_ENTRIES: RawEntry[] = [
  { tag: TAG.NAME, type: RPM_TYPE.STRING, offset: 0, count: 1 },
  { tag: TAG.VERSION, type: RPM_TYPE.STRING, offset: 5, count: 1 },
  { tag: TAG.RELEASE, type: RPM_TYPE.STRING, offset: 9, count: 1 },
  { tag: TAG.ARCH, type: RPM_TYPE.STRING, offset: 11, count: 1 },
  { tag: TAG.EPOCH, type: RPM_TYPE.INT32, offset: 20, count: 1 },
];

/** A synthetic RPM: empty signature header (no digests) and the given main header. */
function synthetic(mainEntries: readonly RawEntry[] = NEVRA_ENTRIES, mainData: Uint8Array = NEVRA_DATA, payload = Buffer.from('payload')): Buffer {
  return Buffer.concat([lead(), headerBlock([], Buffer.alloc(0), true), headerBlock(mainEntries, mainData, false), payload]);
}

describe('rpm header parser on synthetic headers', () => {
  test('reads strings, integers and the payload boundary', () => {
    const rpm = parseRpm(synthetic());
    assert.equal(rpm.header.firstString(TAG.NAME), 'name');
    assert.deepEqual(rpm.header.strings(TAG.ARCH), ['noarch']);
    assert.deepEqual(rpm.header.uints(TAG.EPOCH, true), [7n]);
    assert.equal(Buffer.from(rpm.payload).toString(), 'payload');
    assert.equal(rpm.signature.entries.size, 0);
  });

  test('go-rpmutils type checks: bytes of a string tag, strings of an int tag', () => {
    const rpm = parseRpm(synthetic());
    assert.throws(() => rpm.header.bytes(TAG.NAME), { message: 'unsupported datatype for bytes: 6, tag: 1000' });
    assert.throws(() => rpm.header.strings(TAG.EPOCH), { message: 'unsupported datatype for string: 4, tag: 1003' });
    assert.throws(() => rpm.header.uints(TAG.NAME, true), { message: "tag 1000 isn't an int type" });
  });

  test('truncation at every structural boundary names the part', () => {
    const file = synthetic();
    expectError(file.subarray(0, 0), 'error reading RPM lead: EOF');
    expectError(file.subarray(0, 50), 'error reading RPM lead: unexpected EOF');
    expectError(file.subarray(0, 96), 'error reading RPM header: EOF');
    expectError(file.subarray(0, 100), 'error reading RPM header: unexpected EOF');
    const mainStart = 96 + 16;
    expectError(file.subarray(0, mainStart + 20), 'error reading RPM header table: unexpected EOF');
    const dataStart = mainStart + 16 + 16 * NEVRA_ENTRIES.length;
    expectError(file.subarray(0, dataStart), 'error reading RPM header data: EOF');
    expectError(file.subarray(0, dataStart + 3), 'error reading RPM header data: unexpected EOF');
  });

  test('wrong magics', () => {
    const file = synthetic();
    const badLead = Buffer.from(file);
    badLead[0] = 0;
    expectError(badLead, 'file is not an RPM');
    const badHeader = Buffer.from(file);
    badHeader[96] = 0;
    expectError(badHeader, 'bad magic for header');
  });

  test('entry counts and data sizes beyond rpm limits are refused before reading', () => {
    const tooMany = Buffer.concat([lead(), headerBlock([], Buffer.alloc(0), true, { count: 0xffffffff })]);
    expectError(tooMany, `RPM header has 4294967295 index entries, more than the limit of ${MAX_HEADER_ENTRIES}`);
    const tooBig = Buffer.concat([lead(), headerBlock([], Buffer.alloc(0), true, { size: 0xfffffff8 })]);
    expectError(tooBig, `RPM header data store is 4294967288 bytes, more than the limit of ${MAX_HEADER_DATA}`);
    // Within the limits but beyond the buffer: a read error, not an allocation.
    const beyond = Buffer.concat([lead(), headerBlock([], Buffer.alloc(0), true, { count: MAX_HEADER_ENTRIES })]);
    expectError(beyond, 'error reading RPM header table: EOF');
  });

  test('entries pointing outside the data store', () => {
    const bad = (entry: RawEntry): Buffer => synthetic([...NEVRA_ENTRIES, entry]);
    expectError(bad({ tag: 1100, type: RPM_TYPE.INT32, offset: 0x7fffffff, count: 1 }), /^tag 1100 has offset 2147483647 outside the header data \(24 bytes\)$/);
    expectError(bad({ tag: 1100, type: RPM_TYPE.INT32, offset: -4, count: 1 }), /^tag 1100 has offset -4 outside/);
    expectError(bad({ tag: 1100, type: RPM_TYPE.INT32, offset: 20, count: 0x7fffffff }), 'tag 1100 is truncated');
    expectError(bad({ tag: 1100, type: RPM_TYPE.BIN, offset: 0, count: -1 }), 'tag 1100 is truncated');
    expectError(bad({ tag: 1100, type: RPM_TYPE.STRING_ARRAY, offset: 0, count: 1000 }), 'tag 1100 is truncated');
    // A string with no terminating NUL.
    expectError(synthetic([{ tag: TAG.NAME, type: RPM_TYPE.STRING, offset: 0, count: 1 }], Buffer.from('abc')), 'tag 1000 is truncated');
  });

  test('a tag with no value is an error where Go would index past the end', () => {
    const rpm = parseRpm(synthetic([{ tag: TAG.NAME, type: RPM_TYPE.STRING, offset: 0, count: 0 }], Buffer.from('x\u0000')));
    assert.throws(() => rpm.header.firstString(TAG.NAME), { message: 'tag 1000 holds no value' });
  });

  test('many entries over one long string are refused in bounded time', () => {
    const data = Buffer.concat([Buffer.alloc(1 << 20, 0x41), Buffer.of(0)]);
    const entries = Array.from({ length: MAX_HEADER_ENTRIES }, (_, i) => ({ tag: 2000 + i, type: RPM_TYPE.STRING, offset: 0, count: 1 }));
    const started = Date.now();
    expectError(synthetic(entries, data), 'RPM header entries overlap too much to be read');
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  });

  test('a repeated tag keeps its last entry, as a Go map does', () => {
    const rpm = parseRpm(synthetic([...NEVRA_ENTRIES, { tag: TAG.NAME, type: RPM_TYPE.STRING, offset: 5, count: 1 }]));
    assert.equal(rpm.header.firstString(TAG.NAME), '1.0');
  });

  test('the signature header data may end in padding, included in its bytes', () => {
    const sig = headerBlock([{ tag: SIG_TAG.MD5, type: RPM_TYPE.BIN, offset: 0, count: 3 }], Buffer.from('abc'), true);
    const file = Buffer.concat([lead(), sig, headerBlock(NEVRA_ENTRIES, NEVRA_DATA, false)]);
    const rpm = parseRpm(file);
    assert.equal(rpm.signature.raw.length, 16 + 16 + 8);
    assert.deepEqual(Buffer.from(rpm.signature.bytes(SIG_TAG.MD5) ?? []), Buffer.from('abc'));
    assert.equal(rpm.payload.length, 0);
  });

  test('the main header must match the SHA-256 (else SHA-1) digest in the signature header', () => {
    const main = headerBlock(NEVRA_ENTRIES, NEVRA_DATA, false);
    const withDigest = (tag: number, hex: string): Buffer => {
      const sig = headerBlock([{ tag, type: RPM_TYPE.STRING, offset: 0, count: 1 }], Buffer.from(`${hex}\u0000`), true);
      return Buffer.concat([lead(), sig, main]);
    };
    const sha256 = createHash('sha256').update(main).digest('hex');
    const sha1 = createHash('sha1').update(main).digest('hex');
    parseRpm(withDigest(SIG_TAG.SHA256, sha256));
    parseRpm(withDigest(SIG_TAG.SHA1, sha1));
    expectError(withDigest(SIG_TAG.SHA256, sha1), 'SHA-256 mismatch in signature header');
    expectError(withDigest(SIG_TAG.SHA1, sha256), 'SHA-1 mismatch in signature header');
    expectError(withDigest(SIG_TAG.SHA256, sha256.toUpperCase()), 'SHA-256 mismatch in signature header');
  });
});

describe('goString: Go string(bytes) as encoding/json writes it', () => {
  test('valid UTF-8 is kept, each invalid byte becomes one U+FFFD', () => {
    assert.equal(goString(Buffer.from('héllo €𝄞')), 'héllo €𝄞');
    assert.equal(goString(Buffer.from([0x61, 0xe2, 0x82])), 'a\ufffd\ufffd');
    assert.equal(goString(Buffer.from([0xed, 0xa0, 0x80])), '\ufffd\ufffd\ufffd');
    assert.equal(goString(Buffer.from([0xc0, 0xaf, 0xff])), '\ufffd\ufffd\ufffd');
    assert.equal(goString(Buffer.from([0xf4, 0x90, 0x80, 0x80])), '\ufffd\ufffd\ufffd\ufffd');
  });
});

describe('rpm header parser on packages made by rpmbuild', () => {
  let factory: RpmFactory;
  let unsigned: Uint8Array;
  let dir: string;

  before(() => {
    factory = createRpmFactory();
    unsigned = factory.build({ name: 'parsed', version: '2.0', release: '7', epoch: 5 });
    dir = mkdtempSync(join(tmpdir(), 'rekor-rpm-q-'));
  });
  after(() => {
    factory.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  test('NEVRA and layout agree with rpm -qp', () => {
    const file = join(dir, 'p.rpm');
    writeFileSync(file, unsigned);
    const q = spawnSync('rpm', ['-qp', '--nosignature', '--qf', '%{NAME}|%{EPOCH}|%{VERSION}|%{RELEASE}|%{ARCH}|%{SIGMD5}', file]);
    assert.equal(q.status, 0, q.stderr.toString());
    const [name, epoch, version, release, arch, md5] = q.stdout.toString().split('|');
    const rpm = parseRpm(unsigned);
    assert.deepEqual(
      [rpm.header.firstString(TAG.NAME), String(rpm.header.uints(TAG.EPOCH, true)?.[0]), rpm.header.firstString(TAG.VERSION), rpm.header.firstString(TAG.RELEASE), rpm.header.firstString(TAG.ARCH)],
      [name, epoch, version, release, arch],
    );
    assert.equal(Buffer.from(rpm.signature.bytes(SIG_TAG.MD5) ?? []).toString('hex'), md5);
    const at = layout(unsigned);
    assert.equal(rpm.signature.raw.length, at.sigEnd - at.sigStart);
    assert.equal(rpm.header.raw.length, at.mainEnd - at.mainStart);
    assert.equal(rpm.payload.length, unsigned.length - at.mainEnd);
  });
});
