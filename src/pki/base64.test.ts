import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Base64Error, decodeStdBase64, encodeStdBase64 } from './base64.js';

// Offsets are Go's (encoding/base64 CorruptInputError), worked out from its decodeQuantum.
const cases: Array<{ name: string; input: string; want?: string; wantOffset?: number }> = [
  { name: 'empty', input: '', want: '' },
  { name: 'one byte', input: 'YQ==', want: 'a' },
  { name: 'two bytes', input: 'YWI=', want: 'ab' },
  { name: 'three bytes', input: 'YWJj', want: 'abc' },
  { name: 'newlines are skipped anywhere', input: 'Y\nW\r\nJj\n', want: 'abc' },
  { name: 'newline between padding', input: 'YQ=\n=', want: 'a' },
  { name: 'non-zero trailing bits are tolerated', input: 'YR==', want: 'a' },
  { name: 'missing padding', input: 'YQ', wantOffset: 0 },
  { name: 'missing padding after a full quantum', input: 'aGVsbG8', wantOffset: 4 },
  { name: 'one pad of two', input: 'YQ=', wantOffset: 3 },
  { name: 'padding too early', input: 'Y===', wantOffset: 1 },
  { name: 'padding at start', input: '====', wantOffset: 0 },
  { name: 'data after padding', input: 'YQ==YQ==', wantOffset: 4 },
  { name: 'space', input: 'YW Jj', wantOffset: 2 },
  { name: 'url-safe alphabet', input: 'YW-_', wantOffset: 2 },
  { name: 'non-ASCII', input: 'YWJ\u00e9', wantOffset: 3 },
  { name: 'wrong char after single pad', input: 'YQ=A', wantOffset: 2 },
];

describe('decodeStdBase64 (Go StdEncoding)', () => {
  for (const c of cases) {
    test(c.name, () => {
      if (c.wantOffset === undefined) {
        assert.equal(Buffer.from(decodeStdBase64(c.input)).toString('latin1'), c.want);
        assert.equal(Buffer.from(decodeStdBase64(Buffer.from(c.input))).toString('latin1'), c.want);
      } else {
        assert.throws(() => decodeStdBase64(c.input), (err: unknown) => {
          assert.ok(err instanceof Base64Error);
          assert.equal(err.offset, c.wantOffset);
          assert.equal(err.message, `illegal base64 data at input byte ${c.wantOffset}`);
          return true;
        });
      }
    });
  }

  test('round-trips arbitrary bytes, with and without line breaks', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 1, max: 80 }), (bytes, width) => {
        const text = encodeStdBase64(bytes);
        assert.deepEqual(decodeStdBase64(text), bytes);
        const wrapped = text.replace(new RegExp(`(.{${width}})`, 'g'), '$1\r\n');
        assert.deepEqual(decodeStdBase64(wrapped), bytes);
      }),
    );
  });

  test('never throws anything but Base64Error', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 64 }), (text) => {
        try {
          decodeStdBase64(text);
        } catch (err) {
          assert.ok(err instanceof Base64Error);
        }
      }),
    );
  });
});
