// Hostile input: valid dsse proposals mutated at every layer (spec JSON shape, the envelope's
// text, the envelope's JSON members, signature and payload bytes, verifier PEM bytes) must either
// canonicalize or fail with RekorError('invalid_entry' | 'validation'); never another exception,
// never a hang.
import assert from 'node:assert/strict';
import { sign } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isRekorError } from '../../../errors.js';
import { testKey, type TestKeyType } from '../../../pki/x509/testonly.js';
import { defaultTypeContext } from '../../types.js';
import { canonicalizeDsse } from './entry.js';
import { pae } from '../../dsse-signing.js';
import { mutateBytes, byteOp as op } from '../../../fuzz-testonly.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Proposal = { proposedContent: { envelope: string; verifiers: string[] } } & { [key: string]: Json };

const ctx = defaultTypeContext();
const payload = Buffer.from('{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"x","digest":{"sha256":"00"}}]}');
const payloadType = 'application/vnd.in-toto+json';

function seed(types: TestKeyType[]): Proposal {
  const keys = types.map((t) => testKey(t));
  const sigs = keys.map((k) => sign(k.type === 'Ed25519' ? null : 'sha256', pae(payloadType, payload), k.privateKey).toString('base64'));
  const envelope = JSON.stringify({ payload: payload.toString('base64'), payloadType, signatures: sigs.map((sig) => ({ sig })) });
  return { proposedContent: { envelope, verifiers: keys.map((k) => Buffer.from(k.pem).toString('base64')) } };
}

const SEEDS = [seed(['P-256']), seed(['RSA-2048']), seed(['Ed25519']), seed(['P-256', 'Ed25519'])];
for (const s of SEEDS) canonicalizeDsse(s, ctx);

const ops = fc.array(op, { minLength: 1, maxLength: 4 });
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('spec' as const), key: fc.constantFrom('proposedContent', 'signatures', 'envelopeHash', 'payloadHash', 'x'), value: fc.option(fc.jsonValue({ maxDepth: 3 })) }),
  fc.record({ kind: fc.constant('content' as const), key: fc.constantFrom('envelope', 'verifiers'), value: fc.option(fc.jsonValue({ maxDepth: 2 })) }),
  fc.record({ kind: fc.constant('envelopeText' as const), ops }),
  fc.record({ kind: fc.constant('envelopeMember' as const), key: fc.constantFrom('payload', 'payloadType', 'signatures'), value: fc.option(fc.jsonValue({ maxDepth: 3 })) }),
  fc.record({ kind: fc.constant('signatureBytes' as const), ops }),
  fc.record({ kind: fc.constant('payloadBytes' as const), ops }),
  fc.record({ kind: fc.constant('verifierBytes' as const), ops }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function set(object: Record<string, unknown>, key: string, value: unknown): void {
  if (value === null) delete object[key];
  else object[key] = value;
}

function editEnvelope(p: Proposal, edit: (env: Record<string, Json>) => void): void {
  let env: unknown;
  try {
    env = JSON.parse(p.proposedContent.envelope);
  } catch {
    return;
  }
  if (env === null || typeof env !== 'object' || Array.isArray(env)) return;
  edit(env as Record<string, Json>);
  p.proposedContent.envelope = JSON.stringify(env);
}

function apply(p: Proposal, m: Mutation): void {
  const b64ops = (text: unknown) => (typeof text === 'string' && 'ops' in m ? mutateBytes(Buffer.from(text, 'base64'), m.ops).toString('base64') : text);
  switch (m.kind) {
    case 'spec':
      return set(p, m.key, m.value);
    case 'content':
      return set(p.proposedContent, m.key, m.value);
    case 'envelopeText':
      if (typeof p.proposedContent.envelope !== 'string') return;
      p.proposedContent.envelope = mutateBytes(Buffer.from(p.proposedContent.envelope), m.ops).toString('latin1');
      return;
    case 'envelopeMember':
      return editEnvelope(p, (env) => set(env, m.key, m.value));
    case 'signatureBytes':
      return editEnvelope(p, (env) => {
        const first = Array.isArray(env['signatures']) ? env['signatures'][0] : undefined;
        if (first && typeof first === 'object' && !Array.isArray(first)) first['sig'] = b64ops(first['sig']) as Json;
      });
    case 'payloadBytes':
      return editEnvelope(p, (env) => {
        env['payload'] = b64ops(env['payload']) as Json;
      });
    case 'verifierBytes': {
      const verifiers = p.proposedContent.verifiers;
      if (Array.isArray(verifiers) && verifiers.length > 0) verifiers[0] = b64ops(verifiers[0]) as string;
    }
  }
}

describe('dsse 0.0.1 under hostile input', () => {
  test('mutated specs fail only with RekorError(invalid_entry | validation)', { timeout: 240_000 }, () => {
    fc.assert(
      fc.property(fc.nat(SEEDS.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), (which, mutations) => {
        const input = JSON.parse(JSON.stringify(SEEDS[which])) as Proposal;
        for (const m of mutations) {
          if (input.proposedContent !== null && typeof input.proposedContent === 'object') apply(input, m);
        }
        try {
          canonicalizeDsse(input, ctx);
        } catch (err) {
          assert.ok(isRekorError(err, 'invalid_entry') || isRekorError(err, 'validation'), `unexpected ${err instanceof Error ? err.stack : String(err)}`);
        }
      }),
      { numRuns: 3000 },
    );
  });

  test('whole-spec junk fails only with RekorError', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        try {
          canonicalizeDsse(value, ctx);
        } catch (err) {
          assert.ok(isRekorError(err, 'invalid_entry'), String(err));
        }
      }),
      { numRuns: 1000 },
    );
  });
});
