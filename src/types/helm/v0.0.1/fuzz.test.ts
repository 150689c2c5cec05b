// Hostile input: valid helm specs (Rekor's fixture and a gpg-signed provenance), mutated at every
// level (JSON shape, base64 bytes, the clear-signed text line by line), must either canonicalize
// or fail with RekorError('invalid_entry'); never another exception, never a hang.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isRekorError } from '../../../errors.js';
import { testdataPath } from '../../../../test/testdata.js';
import { canonicalizeHelm } from './entry.js';
import { helmSpec, provenanceSigner, provenanceText, type Spec } from './testonly.js';
import { byteOp as op, mutateBytes, type ByteOp } from '../../../fuzz-testonly.js';

const PATHS = ['publicKey', 'publicKey.content', 'chart', 'chart.hash', 'chart.provenance', 'chart.provenance.content', 'chart.provenance.signature'];
const BASE64_PATHS = ['publicKey.content', 'chart.provenance.content'];

function at(root: Spec, path: string): { parent: Spec | undefined; key: string } {
  const parts = path.split('.');
  let node: unknown = root;
  for (const part of parts.slice(0, -1)) node = node !== null && typeof node === 'object' && !Array.isArray(node) ? (node as Spec)[part] : undefined;
  const parent = node !== null && typeof node === 'object' && !Array.isArray(node) ? (node as Spec) : undefined;
  return { parent, key: parts[parts.length - 1] as string };
}

/** Line-level edits of the provenance text: drop, duplicate, or replace a line. */
function mutateLines(bytes: Buffer, ops: Array<[number, number, string]>): Buffer {
  const lines = bytes.toString('latin1').split('\n');
  for (const [kind, where, text] of ops) {
    const i = where % Math.max(lines.length, 1);
    if (kind % 3 === 0) lines.splice(i, 1);
    else if (kind % 3 === 1) lines.splice(i, 0, lines[i] ?? '');
    else lines[i] = text;
  }
  return Buffer.from(lines.join('\n'), 'latin1');
}

const lineText = fc.oneof(
  fc.constantFrom('...', '', '-----BEGIN PGP SIGNATURE-----', '-----END PGP SIGNATURE-----', 'Hash: SHA256', 'files:', '  a: sha256:00', 'files: &a [*a]', '- - x', '=AAAA'),
  fc.string({ maxLength: 40 }),
);
const lineOp = fc.tuple(fc.nat(), fc.nat(), lineText);
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), path: fc.constantFrom(...PATHS), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant('delete' as const), path: fc.constantFrom(...PATHS) }),
  fc.record({ kind: fc.constant('bytes' as const), path: fc.constantFrom(...BASE64_PATHS), ops: fc.array(op, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('lines' as const), path: fc.constant('chart.provenance.content'), lines: fc.array(lineOp, { minLength: 1, maxLength: 3 }) }),
);
type Mutation = { kind: string; path: string; value?: unknown; ops?: ByteOp[]; lines?: Array<[number, number, string]> };

function apply(seed: Spec, m: Mutation): Spec {
  const out = JSON.parse(JSON.stringify(seed)) as Spec;
  const { parent, key } = at(out, m.path);
  if (parent === undefined) return out;
  const current = parent[key];
  if (m.kind === 'replace') parent[key] = m.value;
  else if (m.kind === 'delete') delete parent[key];
  else if (typeof current === 'string') {
    const bytes = Buffer.from(current, 'base64');
    parent[key] = (m.kind === 'lines' ? mutateLines(bytes, m.lines ?? []) : mutateBytes(bytes, m.ops ?? [])).toString('base64');
  }
  return out;
}

describe('helm 0.0.1 under hostile input', () => {
  test('mutated specs fail only with RekorError(invalid_entry), in bounded time', { timeout: 240_000 }, async () => {
    const signer = provenanceSigner();
    let seeds: Spec[];
    try {
      seeds = [
        helmSpec(readFileSync(testdataPath('artifacts', 'helm', 'test_helm_armor.pub')), readFileSync(testdataPath('artifacts', 'helm', 'test-0.1.0.tgz.prov'))),
        helmSpec(signer.publicKey, signer.clearsign(provenanceText())),
      ];
    } finally {
      signer.dispose();
    }
    for (const s of seeds) await canonicalizeHelm(s);
    let slowest = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(seeds.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (which, mutations) => {
        let input = seeds[which] as Spec;
        for (const m of mutations) input = apply(input, m);
        const started = performance.now();
        try {
          await canonicalizeHelm(input);
        } catch (err) {
          assert.ok(isRekorError(err, 'invalid_entry'), `unexpected ${err instanceof Error ? err.stack : String(err)}`);
        }
        slowest = Math.max(slowest, performance.now() - started);
      }),
      { numRuns: 1500 },
    );
    assert.ok(slowest < 2_000, `slowest input took ${slowest} ms`);
  });
});
