/**
 * Property tests: whatever a hostile server or file puts in a log entry or bundle, verification
 * fails with a VerificationError (never a TypeError or RangeError), and an untouched entry passes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { apiEntry, bundleFor, createFakeLog, trustedRootFor } from './fake-log.testkit.js';
import { VerificationError, loadTrust, verifyBundle, verifyLogEntry } from './index.js';

const log = createFakeLog({ size: 6, offset: 10n });
const trust = loadTrust(trustedRootFor(log));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Replaces the value at a pseudo-random path (chosen by `steps`) with `value`. */
function replaceAt(root: Json, steps: number[], value: Json): Json {
  if (steps.length === 0 || root === null || typeof root !== 'object') return value;
  const keys = Array.isArray(root) ? root.map((_, i) => i) : Object.keys(root);
  if (keys.length === 0) return value;
  const key = keys[(steps[0] as number) % keys.length] as string | number;
  const copy: Json = Array.isArray(root) ? [...root] : { ...root };
  (copy as Record<string | number, Json>)[key] = replaceAt((root as Record<string | number, Json>)[key] as Json, steps.slice(1), value);
  return copy;
}

const anyValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, -1, 0, 2 ** 60, 1.5, '', '-1', '18446744073709551616', 'AAAA', '\u2014 x y\n', [], {}),
  fc.string(),
  fc.integer(),
  fc.jsonValue() as fc.Arbitrary<Json>,
);

function onlyVerificationErrors(run: () => unknown): void {
  try {
    run();
  } catch (err) {
    assert.ok(err instanceof VerificationError, `unexpected ${String(err)}`);
  }
}

describe('hostile input', () => {
  it('the untouched fixtures verify', () => {
    assert.ok(verifyLogEntry(apiEntry(log, 3), trust));
    assert.ok(verifyBundle(bundleFor(log, 3), trust));
  });

  it('mutated v1 API entries only raise VerificationError (property)', () => {
    const entry = apiEntry(log, 3) as unknown as Json;
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 5 }), anyValue, (steps, value) => {
        onlyVerificationErrors(() => verifyLogEntry(replaceAt(entry, steps, value), trust));
      }),
      { numRuns: 1000 },
    );
  });

  it('mutated bundles only raise VerificationError (property)', () => {
    const bundle = bundleFor(log, 2) as unknown as Json;
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 6 }), anyValue, (steps, value) => {
        onlyVerificationErrors(() => verifyBundle(replaceAt(bundle, steps, value), trust));
      }),
      { numRuns: 1000 },
    );
  });
});
