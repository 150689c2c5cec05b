import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { decodePem, encodePem } from './pem.js';

const BODY = 'AQIDBA=='; // bytes 01 02 03 04
const block = (type: string, body = BODY) => `-----BEGIN ${type}-----\n${body}\n-----END ${type}-----\n`;

// Expectations follow Go's encoding/pem.Decode.
const cases: Array<{ name: string; input: string; wantType?: string; wantBytes?: string; wantRest?: string; wantHeaders?: Record<string, string> }> = [
  { name: 'plain block', input: block('PUBLIC KEY'), wantType: 'PUBLIC KEY', wantBytes: '01020304', wantRest: '' },
  { name: 'text before the block is skipped', input: `hello\n${block('X')}`, wantType: 'X', wantBytes: '01020304', wantRest: '' },
  { name: 'what follows is the rest', input: `${block('A')}${block('B')}`, wantType: 'A', wantRest: block('B') },
  { name: 'trailing text after END line', input: `${block('A')}junk`, wantType: 'A', wantRest: 'junk' },
  { name: 'CRLF line ends', input: block('A').replace(/\n/g, '\r\n'), wantType: 'A', wantBytes: '01020304', wantRest: '' },
  { name: 'blanks inside the base64', input: block('A', 'AQ ID\tBA=='), wantType: 'A', wantBytes: '01020304' },
  { name: 'base64 over several lines', input: block('A', 'AQ\nID\nBA=='), wantType: 'A', wantBytes: '01020304' },
  { name: 'headers', input: '-----BEGIN A-----\nProc-Type: 4,ENCRYPTED\n\nAQIDBA==\n-----END A-----\n', wantType: 'A', wantHeaders: { 'Proc-Type': '4,ENCRYPTED' } },
  { name: 'empty block', input: '-----BEGIN A-----\n-----END A-----\n', wantType: 'A', wantBytes: '' },
  { name: 'no END', input: '-----BEGIN A-----\nAQIDBA==\n' },
  { name: 'END of another type', input: '-----BEGIN A-----\nAQIDBA==\n-----END B-----\n' },
  { name: 'text after END on its line', input: '-----BEGIN A-----\nAQIDBA==\n-----END A----- x\n' },
  { name: 'bad base64 makes the scan move on', input: `${block('A', 'AQ!D')}${block('B')}`, wantType: 'B', wantRest: '' },
  { name: 'BEGIN not at a line start', input: `x-----BEGIN A-----\n${BODY}\n-----END A-----\n` },
  { name: 'nothing', input: '' },
  { name: 'no dashes after type', input: '-----BEGIN A\nAQIDBA==\n-----END A-----\n' },
];

describe('decodePem (Go encoding/pem)', () => {
  for (const c of cases) {
    test(c.name, () => {
      const input = Buffer.from(c.input);
      const { block: got, rest } = decodePem(input);
      if (c.wantType === undefined) {
        assert.equal(got, undefined);
        assert.equal(Buffer.from(rest).toString(), c.input);
        return;
      }
      assert.ok(got);
      assert.equal(got.type, c.wantType);
      if (c.wantBytes !== undefined) assert.equal(Buffer.from(got.bytes).toString('hex'), c.wantBytes);
      if (c.wantRest !== undefined) assert.equal(Buffer.from(rest).toString(), c.wantRest);
      if (c.wantHeaders !== undefined) assert.deepEqual(Object.fromEntries(got.headers), c.wantHeaders);
    });
  }

  test('encodePem writes 64 columns and a trailing newline, and decodes back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), (bytes) => {
        const pem = encodePem('CERTIFICATE', bytes);
        assert.ok(pem.endsWith('-----END CERTIFICATE-----\n'));
        for (const line of pem.split('\n')) assert.ok(line.length <= 64 || line.startsWith('-----'));
        const { block: got, rest } = decodePem(Buffer.from(pem));
        assert.deepEqual(got?.bytes, bytes);
        assert.equal(rest.length, 0);
      }),
    );
  });

  test('never throws, and stays fast on many unterminated blocks', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => void decodePem(bytes)));
    const hostile = Buffer.from('-----BEGIN A-----\nAAAA\n'.repeat(20000));
    assert.equal(decodePem(hostile).block, undefined);
  });
});
