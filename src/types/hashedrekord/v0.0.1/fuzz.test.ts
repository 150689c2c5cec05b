// Hostile input: valid specs (bare keys of each type, a certificate chain) mutated at every level
// (JSON shape, strings, base64 bytes, PEM text, DER bytes) must either canonicalize or fail with
// RekorError('invalid_entry' | 'validation'); never another exception, never a hang.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isRekorError } from '../../../errors.js';
import { decodePem, encodePem } from '../../../pki/pem.js';
import { certificatePem, buildCertificate, sanEmail, sanOtherName, signMessage, testKey, type TestKeyType } from '../../../pki/x509/testonly.js';
import { DEFAULT_SIGNING_ALGORITHMS, type HashAlgorithm } from '../../../pki/x509/index.js';
import { defaultTypeContext } from '../../types.js';
import { canonicalizeHashedrekord } from './entry.js';
import { byteOp as op, mutateBytes, type ByteOp } from '../../../fuzz-testonly.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Spec = { [key: string]: Json };

const message = Buffer.from('fuzzed artifact');
const ctx = defaultTypeContext({ signingAlgorithms: [...DEFAULT_SIGNING_ALGORITHMS, 'rsa-sign-pss-2048-sha256'] });

function spec(pem: string, hash: HashAlgorithm, digest: Uint8Array, signature: Uint8Array): Spec {
  return {
    data: { hash: { algorithm: hash, value: Buffer.from(digest).toString('hex') } },
    signature: { content: Buffer.from(signature).toString('base64'), publicKey: { content: Buffer.from(pem).toString('base64') } },
  };
}

function seeds(): Spec[] {
  const keyed: Array<[TestKeyType, HashAlgorithm]> = [['P-256', 'sha256'], ['RSA-2048', 'sha256'], ['Ed25519', 'sha512'], ['P-384', 'sha384']];
  const out = keyed.map(([type, hash]) => {
    const { digest, signature } = signMessage(testKey(type), hash, message);
    return spec(testKey(type).pem, hash, digest, signature);
  });
  const root = testKey('P-256', 10);
  const leaf = testKey('P-256', 2);
  const now = new Date(Date.UTC(2024, 0, 1));
  const later = new Date(Date.UTC(2025, 0, 1));
  const rootDer = buildCertificate({ subject: 'R', issuer: 'R', subjectKey: root, issuerKey: root, notBefore: now, notAfter: later, ca: true });
  const leafDer = buildCertificate({ subject: 'L', issuer: 'R', subjectKey: leaf, issuerKey: root, notBefore: now, notAfter: later, sans: [sanEmail('a@b.c'), sanOtherName('x')] });
  const { digest, signature } = signMessage(leaf, 'sha256', message);
  out.push(spec(certificatePem(leafDer, rootDer), 'sha256', digest, signature));
  for (const s of out) assert.doesNotThrow(() => canonicalizeHashedrekord(s, ctx), 'seed must be valid');
  return out;
}

const PATHS = ['', 'data', 'data.hash', 'data.hash.algorithm', 'data.hash.value', 'signature', 'signature.content', 'signature.publicKey', 'signature.publicKey.content'];

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function at(root: Spec, path: string): { parent: { [key: string]: Json } | undefined; key: string } {
  const parts = path.split('.');
  let node: Json = root;
  for (const part of parts.slice(0, -1)) {
    node = node !== null && typeof node === 'object' && !Array.isArray(node) ? (node[part] ?? null) : null;
  }
  const parent = node !== null && typeof node === 'object' && !Array.isArray(node) ? node : undefined;
  return { parent, key: parts[parts.length - 1] as string };
}

/** Mutates the DER inside a PEM field, keeping the PEM and base64 layers valid. */
function mutateDerInPem(field: string, ops: ByteOp[]): string {
  const text = Buffer.from(field, 'base64');
  const blocks: string[] = [];
  let rest: Uint8Array = text;
  for (;;) {
    const { block, rest: next } = decodePem(rest);
    if (block === undefined) break;
    blocks.push(encodePem(block.type, blocks.length === 0 ? mutateBytes(Buffer.from(block.bytes), ops) : block.bytes));
    rest = next;
  }
  return Buffer.from(blocks.join('')).toString('base64');
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), path: fc.constantFrom(...PATHS.slice(1)), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant('delete' as const), path: fc.constantFrom(...PATHS.slice(1)) }),
  fc.record({ kind: fc.constant('text' as const), path: fc.constantFrom('data.hash.algorithm', 'data.hash.value', 'signature.content', 'signature.publicKey.content'), ops: fc.array(op, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('bytes' as const), path: fc.constantFrom('signature.content', 'signature.publicKey.content'), ops: fc.array(op, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('der' as const), ops: fc.array(op, { minLength: 1, maxLength: 3 }) }),
  fc.record({ kind: fc.constant('whole' as const), value: fc.jsonValue({ maxDepth: 3 }) }),
);

function apply(seed: Spec, m: Record<string, unknown>): unknown {
  if (m['kind'] === 'whole') return m['value'];
  const out = clone(seed);
  const path = m['path'] as string | undefined;
  const { parent, key } = path === undefined ? { parent: undefined, key: '' } : at(out, path);
  const current = parent?.[key];
  const ops = m['ops'] as ByteOp[] | undefined;
  switch (m['kind']) {
    case 'replace':
      if (parent) parent[key] = m['value'] as Json;
      break;
    case 'delete':
      if (parent) delete parent[key];
      break;
    case 'text':
      if (parent && typeof current === 'string') parent[key] = mutateBytes(Buffer.from(current, 'latin1'), ops ?? []).toString('latin1');
      break;
    case 'bytes':
      if (parent && typeof current === 'string') parent[key] = mutateBytes(Buffer.from(current, 'base64'), ops ?? []).toString('base64');
      break;
    case 'der': {
      const pk = at(out, 'signature.publicKey.content');
      const field = pk.parent?.[pk.key];
      if (pk.parent && typeof field === 'string') pk.parent[pk.key] = mutateDerInPem(field, ops ?? []);
      break;
    }
  }
  return out;
}

describe('hashedrekord 0.0.1 under hostile input', () => {
  test('mutated specs fail only with RekorError(invalid_entry | validation)', { timeout: 240_000 }, () => {
    const all = seeds();
    fc.assert(
      fc.property(fc.nat(all.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), (which, mutations) => {
        let input: unknown = all[which];
        for (const m of mutations) input = input !== null && typeof input === 'object' && !Array.isArray(input) ? apply(input as Spec, m as Record<string, unknown>) : input;
        try {
          canonicalizeHashedrekord(input, ctx);
        } catch (err) {
          assert.ok(isRekorError(err, 'invalid_entry') || isRekorError(err, 'validation'), `unexpected ${err instanceof Error ? err.stack : String(err)}`);
        }
      }),
      { numRuns: 5000 },
    );
  });
});
