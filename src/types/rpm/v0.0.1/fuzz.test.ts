// Hostile input: a real signed RPM (rpmbuild + rpmsign --rpmv3), mutated byte-wise and
// structurally (intro and index fields set to huge, negative and boundary values, truncation),
// must either parse/verify or fail with RekorError('invalid_entry'); never another exception,
// never a hang.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { isRekorError } from '../../../errors.js';
import { canonicalizeRpm } from './entry.js';
import { parseRpm } from './rpm-header.js';
import { createRpmFactory, layout, specOf, type RpmFactory } from './testonly.js';

const BOUNDARY = [0, 1, 7, 8, 15, 16, 0x7fff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff];

type Op =
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'truncate'; at: number }
  | { kind: 'word'; field: number; value: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.nat(255) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.array(fc.nat(255), { minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('word' as const), field: fc.nat(), value: fc.oneof(fc.constantFrom(...BOUNDARY), fc.nat({ max: 0xffffffff })) }),
);

/** Offsets of every 32-bit structural field: both intros' counts and sizes, every index word. */
function structuralFields(rpm: Uint8Array): number[] {
  const at = layout(rpm);
  const view = Buffer.from(rpm);
  const fields: number[] = [];
  for (const start of [at.sigStart, at.mainStart]) {
    fields.push(start + 8, start + 12);
    const count = view.readUInt32BE(start + 8);
    for (let i = 0; i < count; i++) for (let w = 0; w < 4; w++) fields.push(start + 16 + i * 16 + w * 4);
  }
  return fields;
}

function mutate(seed: Uint8Array, fields: readonly number[], ops: readonly Op[]): Buffer {
  let out = Buffer.from(seed);
  for (const o of ops) {
    const i = out.length === 0 ? 0 : o.kind === 'word' ? 0 : o.at % out.length;
    switch (o.kind) {
      case 'flip':
        if (out.length > 0) out[i] = o.value;
        break;
      case 'delete':
        out = Buffer.concat([out.subarray(0, i), out.subarray(i + o.length)]);
        break;
      case 'insert':
        out = Buffer.concat([out.subarray(0, i), Buffer.from(o.bytes), out.subarray(i)]);
        break;
      case 'truncate':
        out = out.subarray(0, i);
        break;
      case 'word': {
        const field = fields[o.field % fields.length] ?? 0;
        if (field + 4 <= out.length) out.writeUInt32BE(o.value >>> 0, field);
        break;
      }
    }
  }
  return out;
}

/**
 * The seed with its header digests (signature tags 269, 273) renumbered out of the way, so that
 * mutations of the main header reach its entries and the signature checks instead of stopping
 * at the digest comparison.
 */
function withoutHeaderDigests(rpm: Uint8Array): Buffer {
  const at = layout(rpm);
  const out = Buffer.from(rpm);
  const count = out.readUInt32BE(at.sigStart + 8);
  for (let i = 0; i < count; i++) {
    const e = at.sigStart + 16 + i * 16;
    const tag = out.readInt32BE(e);
    if (tag === 269 || tag === 273) out.writeInt32BE(tag + 9000, e);
  }
  return out;
}

function onlyRekorErrors(err: unknown): void {
  assert.ok(isRekorError(err, 'invalid_entry'), `unexpected ${err instanceof Error ? err.stack : String(err)}`);
}

describe('rpm 0.0.1 under hostile input', () => {
  let factory: RpmFactory;
  let key: Uint8Array;
  let seed: Uint8Array;
  let seeds: Uint8Array[];
  let fields: number[];

  before(() => {
    factory = createRpmFactory();
    key = factory.addKey('Fuzz Signer <fuzz@example.com>', 'rsa2048');
    seed = factory.sign(factory.build({ name: 'fuzzed', epoch: 1 }), { signer: 'fuzz@example.com', rpmv3: true });
    seeds = [seed, withoutHeaderDigests(seed)];
    fields = structuralFields(seed);
  });
  after(() => factory.dispose());

  test('mutated packages: the parser fails only with RekorError, quickly', { timeout: 120_000 }, () => {
    for (const s of seeds) parseRpm(s);
    fc.assert(
      fc.property(fc.nat(1), fc.array(op, { minLength: 1, maxLength: 4 }), (which, ops) => {
        const input = mutate(seeds[which] as Uint8Array, fields, ops);
        const started = Date.now();
        try {
          const rpm = parseRpm(input);
          rpm.header.strings(1000);
          rpm.header.uints(1003, true);
        } catch (err) {
          onlyRekorErrors(err);
        }
        assert.ok(Date.now() - started < 1000, 'parse took over a second');
      }),
      { numRuns: 4000 },
    );
  });

  test('mutated packages: canonicalization fails only with RekorError', { timeout: 240_000 }, async () => {
    for (const s of seeds) await canonicalizeRpm(specOf(key, s));
    await fc.assert(
      fc.asyncProperty(fc.nat(1), fc.array(op, { minLength: 1, maxLength: 3 }), async (which, ops) => {
        const input = mutate(seeds[which] as Uint8Array, fields, ops);
        try {
          await canonicalizeRpm(specOf(key, input));
        } catch (err) {
          onlyRekorErrors(err);
        }
      }),
      { numRuns: 800 },
    );
  });

  test('specs with members replaced by arbitrary JSON fail only with RekorError', { timeout: 120_000 }, async () => {
    const paths = ['publicKey', 'publicKey.content', 'publicKey.url', 'package', 'package.content', 'package.hash', 'package.hash.algorithm', 'package.hash.value', 'package.headers', 'package.url'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 2 }), async (path, value) => {
        const spec = JSON.parse(JSON.stringify(specOf(key, seed))) as Record<string, unknown>;
        const [outer, inner, leaf] = path.split('.') as [string, string | undefined, string | undefined];
        if (inner === undefined) spec[outer] = value;
        else {
          const parent = spec[outer] as Record<string, unknown>;
          if (leaf === undefined) parent[inner] = value;
          else parent[inner] = { algorithm: 'sha256', value: 'x', [leaf]: value };
        }
        try {
          await canonicalizeRpm(spec);
        } catch (err) {
          onlyRekorErrors(err);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('mutations inside the signature packets fail only with RekorError', { timeout: 120_000 }, async () => {
    const at = layout(seed);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }), async (flips) => {
        const input = Buffer.from(seed);
        // The signature packets sit at the start of the signature header's data store.
        const dataStart = at.sigStart + 16 + input.readUInt32BE(at.sigStart + 8) * 16;
        for (const [where, value] of flips) input[dataStart + (where % 700)] = value;
        try {
          await canonicalizeRpm(specOf(key, input));
        } catch (err) {
          onlyRekorErrors(err);
        }
      }),
      { numRuns: 400 },
    );
  });
});
