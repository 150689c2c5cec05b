// Hostile input for both intoto versions: valid specs mutated at every level (JSON shape, strings,
// the bytes under each base64 layer, the envelope text of 0.0.1) must either canonicalize or fail
// with RekorError('invalid_entry'); never another exception, never a hang.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isRekorError } from '../../errors.js';
import { testKey } from '../../pki/x509/testonly.js';
import { defaultTypeContext } from '../types.js';
import { IN_TOTO, signEnvelope, statement, v001Spec, v002Spec } from './testonly.js';
import { canonicalizeIntotoV001 } from './v0.0.1/entry.js';
import { canonicalizeIntotoV002 } from './v0.0.2/entry.js';
import { mutateBytes, byteOp as op } from '../../fuzz-testonly.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Container = { [key: string]: Json } | Json[];

const ctx = defaultTypeContext();
const payload = statement('d'.repeat(64));
const [p256, ed25519] = [testKey('P-256'), testKey('Ed25519')];

const V001_PATHS = ['content', 'content.envelope', 'content.hash', 'content.hash.algorithm', 'publicKey'];
const V002_PATHS = [
  'content', 'content.envelope', 'content.envelope.payloadType', 'content.envelope.payload', 'content.envelope.signatures',
  'content.envelope.signatures.0', 'content.envelope.signatures.0.sig', 'content.envelope.signatures.0.publicKey',
  'content.envelope.signatures.1.sig', 'content.envelope.signatures.0.keyid', 'content.hash', 'content.hash.value',
];
const BASE64_PATHS = ['publicKey', 'content.envelope.payload', 'content.envelope.signatures.0.sig', 'content.envelope.signatures.0.publicKey'];

function seeds(): { spec: Json; run: (s: unknown) => unknown; paths: string[] }[] {
  const single = signEnvelope([p256], IN_TOTO, payload);
  const double = signEnvelope([p256, ed25519], IN_TOTO, payload, 'k');
  const run1 = (s: unknown) => canonicalizeIntotoV001(s, ctx);
  const run2 = (s: unknown) => canonicalizeIntotoV002(s, ctx);
  const out = [
    { spec: v001Spec(JSON.stringify(single), p256.pem) as Json, run: run1, paths: V001_PATHS },
    { spec: v002Spec(single, [p256.pem]) as Json, run: run2, paths: V002_PATHS },
    { spec: v002Spec(double, [p256.pem, ed25519.pem]) as Json, run: run2, paths: V002_PATHS },
  ];
  for (const s of out) assert.doesNotThrow(() => s.run(s.spec), 'seed must be valid');
  return out;
}

function at(root: Json, path: string): { parent: Container | undefined; key: string } {
  const parts = path.split('.');
  let node: Json | undefined = root;
  for (const part of parts.slice(0, -1)) node = node !== null && typeof node === 'object' ? (node as Record<string, Json>)[part] : undefined;
  const parent = node !== null && typeof node === 'object' ? (node as Container) : undefined;
  return { parent, key: parts[parts.length - 1] as string };
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), path: fc.nat(), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant('delete' as const), path: fc.nat() }),
  fc.record({ kind: fc.constant('text' as const), path: fc.nat(), ops: fc.array(op, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('bytes' as const), path: fc.constantFrom(...BASE64_PATHS), ops: fc.array(op, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('whole' as const), value: fc.jsonValue({ maxDepth: 3 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(spec: Json, paths: readonly string[], m: Mutation): Json {
  if (m.kind === 'whole') return m.value as Json;
  const out = JSON.parse(JSON.stringify(spec)) as Json;
  const path = typeof m.path === 'number' ? (paths[m.path % paths.length] as string) : m.path;
  const { parent, key } = at(out, path);
  if (parent === undefined) return out;
  const slot = parent as Record<string, Json>;
  const current = slot[key];
  if (m.kind === 'replace') slot[key] = m.value as Json;
  else if (m.kind === 'delete') delete slot[key];
  else if (typeof current === 'string') {
    // 'bytes' mutates under the outer base64 layer, 'text' the string itself (e.g. the 0.0.1 envelope JSON).
    slot[key] = m.kind === 'bytes' ? mutateBytes(Buffer.from(current, 'base64'), m.ops).toString('base64') : mutateBytes(Buffer.from(current, 'latin1'), m.ops).toString('latin1');
  }
  return out;
}

describe('intoto under hostile input', () => {
  test('mutated specs fail only with RekorError(invalid_entry)', { timeout: 240_000 }, () => {
    const all = seeds();
    fc.assert(
      fc.property(fc.nat(all.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), (which, mutations) => {
        const seed = all[which] as (typeof all)[number];
        const input = mutations.reduce((spec, m) => apply(spec, seed.paths, m), seed.spec);
        try {
          seed.run(input);
        } catch (err) {
          assert.ok(isRekorError(err, 'invalid_entry'), `unexpected ${err instanceof Error ? err.stack : String(err)}`);
        }
      }),
      { numRuns: 4000 },
    );
  });
});
