// Hostile input: valid rekord specs in every format, mutated at every level (JSON shape, strings,
// base64 bytes), must either canonicalize or fail with RekorError('invalid_entry'); never another
// exception, never a hang.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isRekorError } from '../../../errors.js';
import { defaultTypeContext } from '../../types.js';
import { canonicalizeRekord } from './entry.js';
import { minisignMaterial, pgpMaterial, specOf, sshMaterial, x509Material, type Spec } from './testonly.js';
import { byteOp as op, mutateBytes, type ByteOp } from '../../../fuzz-testonly.js';

const ctx = defaultTypeContext();
const PATHS = ['data', 'data.hash', 'data.hash.algorithm', 'data.hash.value', 'data.content', 'data.url', 'signature', 'signature.format', 'signature.content', 'signature.publicKey', 'signature.publicKey.content'];
const BASE64_PATHS = ['data.content', 'signature.content', 'signature.publicKey.content'];

function at(root: Spec, path: string): { parent: Spec | undefined; key: string } {
  const parts = path.split('.');
  let node: unknown = root;
  for (const part of parts.slice(0, -1)) node = node !== null && typeof node === 'object' && !Array.isArray(node) ? (node as Spec)[part] : undefined;
  const parent = node !== null && typeof node === 'object' && !Array.isArray(node) ? (node as Spec) : undefined;
  return { parent, key: parts[parts.length - 1] as string };
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), path: fc.constantFrom(...PATHS), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant('delete' as const), path: fc.constantFrom(...PATHS) }),
  fc.record({ kind: fc.constant('text' as const), path: fc.constantFrom(...PATHS), ops: fc.array(op, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('bytes' as const), path: fc.constantFrom(...BASE64_PATHS), ops: fc.array(op, { minLength: 1, maxLength: 4 }) }),
);

function apply(seed: Spec, m: { kind: string; path: string; value?: unknown; ops?: ByteOp[] }): Spec {
  const out = JSON.parse(JSON.stringify(seed)) as Spec;
  const { parent, key } = at(out, m.path);
  if (parent === undefined) return out;
  const current = parent[key];
  if (m.kind === 'replace') parent[key] = m.value;
  else if (m.kind === 'delete') delete parent[key];
  else if (typeof current === 'string') {
    const encoding = m.kind === 'bytes' ? 'base64' : 'latin1';
    parent[key] = mutateBytes(Buffer.from(current, encoding), m.ops ?? []).toString(encoding);
  }
  return out;
}

describe('rekord 0.0.1 under hostile input', () => {
  test('mutated specs fail only with RekorError(invalid_entry)', { timeout: 240_000 }, async () => {
    const seeds = [x509Material('ec'), x509Material('ed25519'), pgpMaterial(), minisignMaterial(), sshMaterial()].map((m) => specOf(m));
    for (const s of seeds) await canonicalizeRekord(s, ctx);
    await fc.assert(
      fc.asyncProperty(fc.nat(seeds.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (which, mutations) => {
        let input = seeds[which] as Spec;
        for (const m of mutations) input = apply(input, m);
        try {
          await canonicalizeRekord(input, ctx);
        } catch (err) {
          assert.ok(isRekorError(err, 'invalid_entry'), `unexpected ${err instanceof Error ? err.stack : String(err)}`);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
