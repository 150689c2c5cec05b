/**
 * Signed-note and checkpoint parsing: table tests for the accepted and rejected shapes, and
 * property tests: notes round-trip byte for byte, and the parser never throws anything but
 * NoteError on mutated valid notes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  NoteError,
  formatCheckpointText,
  isNoteError,
  parseCheckpoint,
  parseSignedNote,
  serializeSignedNote,
  signCheckpoint,
  type NoteSigner,
} from './index.js';

const ROOT = 'rs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=';
const SIG = '\u2014 log.example 8w1amdbj1mjNN674dHAkD92+QZoEgBC7o0mXYSTRluDjQrOPjrps3zQB9ut+ShLepyZPsWBDi5IB3yXyjgjQT6OG9A8=\n';
const VALID = `log.example\n736\n${ROOT}\n\n${SIG}`;

const PARSE_CASES: { name: string; input: string; want?: { origin: string; size: bigint; extensions: string[]; sigs: number } }[] = [
  { name: 'plain checkpoint', input: VALID, want: { origin: 'log.example', size: 736n, extensions: [], sigs: 1 } },
  {
    name: 'v1 origin with extension line',
    input: `rekor.example - 42\n0\n${ROOT}\nTimestamp: 1679575021729507429\n\n${SIG}`,
    want: { origin: 'rekor.example - 42', size: 0n, extensions: ['Timestamp: 1679575021729507429'], sigs: 1 },
  },
  { name: 'two signatures', input: `${VALID}${SIG}`, want: { origin: 'log.example', size: 736n, extensions: [], sigs: 2 } },
  {
    name: 'largest size',
    input: `o\n18446744073709551615\n${ROOT}\n\n${SIG}`,
    want: { origin: 'o', size: 18446744073709551615n, extensions: [], sigs: 1 },
  },
  { name: 'no blank line', input: `log.example\n736\n${ROOT}\n${SIG}` },
  { name: 'no signature', input: `log.example\n736\n${ROOT}\n\n` },
  { name: 'no final newline', input: VALID.slice(0, -1) },
  { name: 'missing root line', input: `log.example\n736\n\n${SIG}` },
  { name: 'missing origin line', input: `736\n${ROOT}\n\n${SIG}` },
  { name: 'empty origin', input: `\n736\n${ROOT}\n\n${SIG}` },
  { name: 'size not a number', input: `log.example\nabc\n${ROOT}\n\n${SIG}` },
  { name: 'size with leading zero', input: `log.example\n0736\n${ROOT}\n\n${SIG}` },
  { name: 'size with sign', input: `log.example\n+736\n${ROOT}\n\n${SIG}` },
  { name: 'size above 2^64-1', input: `log.example\n18446744073709551616\n${ROOT}\n\n${SIG}` },
  { name: 'root not base64', input: `log.example\n736\nnot*base64\n\n${SIG}` },
  { name: 'root unpadded', input: `log.example\n736\n${ROOT.slice(0, -1)}\n\n${SIG}` },
  { name: 'root of 31 bytes', input: `log.example\n736\n${Buffer.alloc(31).toString('base64')}\n\n${SIG}` },
  { name: 'empty extension line', input: `log.example\n736\n${ROOT}\n\nx\n\n${SIG}` },
  { name: 'line without em dash', input: `log.example\n736\n${ROOT}\n\n${SIG.slice(2)}` },
  { name: 'hyphen instead of em dash', input: `log.example\n736\n${ROOT}\n\n-${SIG.slice(1)}` },
  { name: 'signature under 5 bytes', input: `log.example\n736\n${ROOT}\n\n\u2014 log.example wNI9ag==\n` },
  { name: 'extra field on line', input: `log.example\n736\n${ROOT}\n\n${SIG.slice(0, -1)} x\n` },
  { name: 'name with plus', input: `log.example\n736\n${ROOT}\n\n${SIG.replace('log.example', 'log+example')}` },
  { name: 'control character', input: `log\u0001example\n736\n${ROOT}\n\n${SIG}` },
  { name: 'carriage return', input: `log.example\r\n736\n${ROOT}\n\n${SIG}` },
  { name: 'empty input', input: '' },
];

describe('parseSignedNote / parseCheckpoint', () => {
  for (const c of PARSE_CASES) {
    it(c.name, () => {
      if (c.want === undefined) {
        assert.throws(() => parseCheckpoint(c.input), (err: unknown) => isNoteError(err, 'malformed') && err.message === 'malformed checkpoint');
        return;
      }
      const { checkpoint, note } = parseCheckpoint(c.input);
      assert.equal(checkpoint.origin, c.want.origin);
      assert.equal(checkpoint.size, c.want.size);
      assert.deepEqual(checkpoint.extensions, c.want.extensions);
      assert.equal(Buffer.from(checkpoint.rootHash).toString('base64'), ROOT);
      assert.equal(note.signatures.length, c.want.sigs);
      assert.equal(serializeSignedNote(note), c.input);
    });
  }

  it('splits at the last blank line and keeps key ID and signature apart', () => {
    const note = parseSignedNote(VALID);
    assert.equal(note.text, `log.example\n736\n${ROOT}\n`);
    assert.equal(Buffer.from(note.signatures[0]!.keyId).toString('hex'), 'f30d5a99');
    assert.equal(note.signatures[0]!.signature.length, 64);
  });

  it('accepts UTF-8 bytes and rejects invalid UTF-8', () => {
    assert.equal(parseSignedNote(new TextEncoder().encode(VALID)).signatures.length, 1);
    const bad = Uint8Array.of(...new TextEncoder().encode(VALID.slice(0, 3)), 0xff, ...new TextEncoder().encode(VALID.slice(3)));
    assert.throws(() => parseSignedNote(bad), (err: unknown) => isNoteError(err, 'malformed'));
  });
});

const fixedSigner = (name: string, byte: number): NoteSigner => ({
  name,
  keyId: Uint8Array.of(1, 2, 3, byte),
  sign: () => new Uint8Array(8).fill(byte),
});

const origin = fc.stringMatching(/^[a-z0-9. /-]{1,30}$/).filter((s) => s.trim() === s && s.length > 0);
const extension = fc.stringMatching(/^[A-Za-z0-9:\u2014 ]{1,20}$/);
const checkpointInput = fc.record({
  origin,
  size: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  rootHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  extensions: fc.array(extension, { maxLength: 3 }),
});

describe('formatting and signing', () => {
  it('formats the exact checkpoint text', () => {
    const text = formatCheckpointText({ origin: 'rekor.example - 7', size: 12n, rootHash: new Uint8Array(32), extensions: ['x y'] });
    assert.equal(text, `rekor.example - 7\n12\n${Buffer.alloc(32).toString('base64')}\nx y\n`);
  });

  it('rejects input that cannot be a checkpoint', () => {
    const good = { origin: 'o', size: 1n, rootHash: new Uint8Array(32) };
    const bad = [
      { ...good, origin: '' },
      { ...good, origin: 'a\nb' },
      { ...good, size: -1n },
      { ...good, size: 1n << 64n },
      { ...good, rootHash: new Uint8Array(31) },
      { ...good, extensions: [''] },
      { ...good, extensions: ['a\nb'] },
    ];
    for (const cp of bad) assert.throws(() => formatCheckpointText(cp), (err: unknown) => isNoteError(err, 'invalid_input'));
    assert.throws(() => signCheckpoint(good, []), (err: unknown) => isNoteError(err, 'invalid_input'));
    assert.throws(() => signCheckpoint(good, fixedSigner('has space', 1)), (err: unknown) => isNoteError(err, 'invalid_input'));
    assert.throws(() => signCheckpoint(good, { ...fixedSigner('n', 1), keyId: new Uint8Array(3) }), (err: unknown) => isNoteError(err, 'invalid_input'));
  });
});

describe('signed checkpoint properties', () => {
  it('round-trips every signed checkpoint byte for byte (property)', () => {
    fc.assert(
      fc.property(checkpointInput, fc.integer({ min: 1, max: 4 }), (cp, signers) => {
        const list = Array.from({ length: signers }, (_, i) => fixedSigner(`signer${i}.example`, i));
        const note = signCheckpoint(cp, list);
        const parsed = parseCheckpoint(note);
        assert.equal(parsed.checkpoint.origin, cp.origin);
        assert.equal(parsed.checkpoint.size, cp.size);
        assert.deepEqual(parsed.checkpoint.rootHash, cp.rootHash);
        assert.deepEqual(parsed.checkpoint.extensions, cp.extensions);
        assert.equal(parsed.note.signatures.length, signers);
        assert.equal(serializeSignedNote(parsed.note), note);
      }),
    );
  });

  it('never throws anything but NoteError on mutated notes (property)', () => {
    const alphabet = ['\n', '\u2014', ' ', '=', '+', '/', 'A', '0', '-', '\u0000', '\r', '\t', '\u00e9', '\ud800'];
    const mutation = fc.record({
      at: fc.nat(),
      kind: fc.constantFrom('insert', 'delete', 'replace', 'truncate', 'duplicate'),
      char: fc.constantFrom(...alphabet),
    });
    fc.assert(
      fc.property(checkpointInput, fc.array(mutation, { minLength: 1, maxLength: 6 }), (cp, mutations) => {
        let note = signCheckpoint(cp, [fixedSigner('a.example', 1), fixedSigner('b.example', 2)]);
        for (const m of mutations) note = mutate(note, m.at, m.kind, m.char);
        try {
          parseCheckpoint(note);
        } catch (err) {
          assert.ok(err instanceof NoteError, `unexpected ${String(err)}`);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

function mutate(note: string, at: number, kind: string, char: string): string {
  const i = note.length === 0 ? 0 : at % note.length;
  switch (kind) {
    case 'insert':
      return note.slice(0, i) + char + note.slice(i);
    case 'delete':
      return note.slice(0, i) + note.slice(i + 1);
    case 'replace':
      return note.slice(0, i) + char + note.slice(i + 1);
    case 'truncate':
      return note.slice(0, i);
    default:
      return note.slice(0, i) + note.slice(i, i + 10) + note.slice(i);
  }
}

describe('base64 strictness', () => {
  it('rejects non-canonical trailing bits so one spelling maps to one signature', () => {
    // "...A9A8=" → "...A9A9=": same bytes under a lenient decoder, different text.
    const lenient = VALID.replace('T6OG9A8=', 'T6OG9A9=');
    assert.notEqual(lenient, VALID);
    assert.throws(() => parseSignedNote(lenient), (err: unknown) => isNoteError(err, 'malformed'));
  });
});
