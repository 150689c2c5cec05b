/**
 * Shared by the parsers' and entry kinds' tests. Byte-level mutations for the fuzz tests: fast-check draws a list of operations
 * (overwrite, delete or insert one byte, or truncate) that turn a valid input into a hostile one,
 * and shrinks a failure to the fewest operations. Not imported by production code.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isRekorError } from './errors.js';

/** [what, where, byte]: `what` mod 4 picks overwrite, delete, insert or truncate at `where`. */
export type ByteOp = readonly [number, number, number];

export const byteOp: fc.Arbitrary<ByteOp> = fc.tuple(fc.nat(), fc.nat(), fc.nat(255));

export function mutateBytes(bytes: Uint8Array, ops: readonly ByteOp[]): Buffer {
  let out = Buffer.from(bytes);
  for (const [kind, where, value] of ops) {
    const i = out.length === 0 ? 0 : where % out.length;
    if (kind % 4 === 0) out[i] = value;
    else if (kind % 4 === 1) out = Buffer.concat([out.subarray(0, i), out.subarray(i + 1)]);
    else if (kind % 4 === 2) out = Buffer.concat([out.subarray(0, i), Buffer.of(value), out.subarray(i)]);
    else out = out.subarray(0, i);
  }
  return out;
}

/**
 * An assert.throws / assert.rejects validator: the error is RekorError('invalid_entry') with
 * exactly this message, or one matching this pattern.
 */
export function invalidEntryWith(want: string | RegExp): (err: unknown) => true {
  return (err) => {
    assert.ok(isRekorError(err, 'invalid_entry'), `got ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    if (typeof want === 'string') assert.equal(err.message, want);
    else assert.match(err.message, want);
    return true;
  };
}

/** A valid input with a few bytes overwritten, then cut or extended. */
export function mutated(seed: Uint8Array): fc.Arbitrary<Uint8Array> {
  const edit = fc.record({ at: fc.nat(seed.length), byte: fc.integer({ min: 0, max: 255 }) });
  return fc.tuple(fc.array(edit, { maxLength: 6 }), fc.nat(seed.length + 8), fc.uint8Array({ maxLength: 8 })).map(([edits, cut, tail]) => {
    const out = Uint8Array.from(seed);
    for (const e of edits) if (e.at < out.length) out[e.at] = e.byte;
    return new Uint8Array(Buffer.concat([out.subarray(0, cut), tail]));
  });
}

/** Runs a parser on hostile input: returning is fine, and so is RekorError('invalid_entry'), nothing else. */
export function onlyRekorErrors(run: () => unknown): void {
  try {
    run();
  } catch (e) {
    assert.ok(isRekorError(e, 'invalid_entry'), `unexpected ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
}
