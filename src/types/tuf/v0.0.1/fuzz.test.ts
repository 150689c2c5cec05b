// Hostile input: valid tuf specs (Rekor's fixtures and freshly signed metadata), mutated at
// every level (JSON shape anywhere inside the envelopes, base64 text), must either canonicalize
// or fail with RekorError('invalid_entry'); never another exception, never a hang.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isRekorError } from '../../../errors.js';
import { testdataPath } from '../../../../test/testdata.js';
import { canonicalizeTuf } from './entry.js';
import { ecdsaKey, ed25519Key, legacyEcdsaKey, rootSigned, rsaKey, signEnvelope, timestampSigned, tufSpec, type Json } from './testonly.js';

const fixture = (name: string) => JSON.parse(readFileSync(testdataPath('artifacts', 'tuf', name), 'utf8')) as Json;
const ctx = { now: () => new Date('2022-06-01T00:00:00Z') };

/** Every path to a value inside `root`, as key lists. */
function paths(root: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(prefix);
  if (Array.isArray(root)) root.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (root !== null && typeof root === 'object') for (const [k, v] of Object.entries(root)) paths(v, [...prefix, k], out);
  return out;
}

function setAt(root: unknown, path: ReadonlyArray<string | number>, value: unknown, remove: boolean): unknown {
  if (path.length === 0) return value;
  let node = root as Record<string | number, unknown>;
  for (const part of path.slice(0, -1)) node = node[part] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (remove) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = value;
  return root;
}

const replacement = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom('', 'root', 'timestamp', 'targets', '1.0', '2100-01-01T00:00:00Z', 'zz', '00', 0, -1, 1.5, 2 ** 60, null, [], {}),
);

describe('tuf 0.0.1 under hostile input', () => {
  test('mutated specs fail only with RekorError(invalid_entry), in bounded time', { timeout: 240_000 }, async () => {
    const [k1, k2, k3, k4] = [ed25519Key(), ecdsaKey(), rsaKey(), legacyEcdsaKey()];
    const root = signEnvelope(rootSigned({ keys: { root: [k1, k2], timestamp: [k3], snapshot: [k4], targets: [k1] } }), [k1, k2]);
    const seeds: Json[] = [
      tufSpec(fixture('pki-timestamp.json'), fixture('pki-1.root.json')),
      tufSpec(fixture('type-test_timestamp.json'), fixture('type-test_root.json')),
      tufSpec(signEnvelope(timestampSigned(), [k3]), root),
      tufSpec(Buffer.from(JSON.stringify(signEnvelope(timestampSigned(), [k3]))).toString('base64'), root),
    ];
    const seedPaths = seeds.map((s) => paths(s));
    // Every seed is accepted except the type-test pair, which has expired by `ctx`'s date and
    // still exercises the legacy hex ECDSA keys up to the expiry check.
    for (const [i, s] of seeds.entries()) if (i !== 1) canonicalizeTuf(s, ctx);
    let slowest = 0;
    await fc.assert(
      fc.property(
        fc.nat(seeds.length - 1),
        fc.array(fc.tuple(fc.nat(), replacement, fc.boolean()), { minLength: 1, maxLength: 3 }),
        (which, edits) => {
          let input: unknown = JSON.parse(JSON.stringify(seeds[which]));
          const candidates = seedPaths[which] as Array<Array<string | number>>;
          for (const [where, value, remove] of edits) {
            const path = candidates[where % candidates.length] as Array<string | number>;
            try {
              input = setAt(input, path, value, remove);
            } catch {
              // An earlier edit removed the path's parent; skip this edit.
            }
          }
          const started = performance.now();
          try {
            canonicalizeTuf(input, ctx);
          } catch (err) {
            assert.ok(isRekorError(err, 'invalid_entry'), `unexpected ${err instanceof Error ? err.stack : String(err)}`);
          }
          slowest = Math.max(slowest, performance.now() - started);
        },
      ),
      { numRuns: 2000 },
    );
    assert.ok(slowest < 2_000, `slowest input took ${slowest} ms`);
  });

  test('mutated base64 envelopes', { timeout: 120_000 }, () => {
    const ts = readFileSync(testdataPath('artifacts', 'tuf', 'pki-timestamp.json'));
    const root = fixture('pki-1.root.json');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }), (ops) => {
        const bytes = Buffer.from(ts);
        for (const [where, value] of ops) bytes[where % bytes.length] = value;
        try {
          canonicalizeTuf(tufSpec(bytes.toString('base64'), root), ctx);
        } catch (err) {
          assert.ok(isRekorError(err, 'invalid_entry'), `unexpected ${err instanceof Error ? err.stack : String(err)}`);
        }
      }),
      { numRuns: 500 },
    );
  });
});
