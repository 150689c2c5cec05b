// Hostile input: valid cose proposals mutated at every layer (spec JSON shape, the message's
// CBOR bytes, the protected header's bytes, the key's PEM bytes) and random CBOR-ish bytes must
// either canonicalize or fail with RekorError('invalid_entry'); never another exception, never a
// hang.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isRekorError } from '../../../errors.js';
import { testKey } from '../../../pki/x509/testonly.js';
import { defaultTypeContext } from '../../types.js';
import { canonicalizeCose } from './entry.js';
import { b64, encodeCbor, makeMessage } from './testonly.js';
import { mutateBytes } from '../../../fuzz-testonly.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Seed {
  readonly message: Uint8Array;
  readonly pem: string;
  readonly aad?: Uint8Array;
}

const ctx = defaultTypeContext();
const statement = Buffer.from('{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"x","digest":{"sha256":"00"}}]}');
const p256 = testKey('P-256');
const rsa = testKey('RSA-2048');
const SEEDS: Seed[] = [
  { message: makeMessage(p256, Buffer.from('hello')), pem: p256.pem },
  { message: makeMessage(rsa, Buffer.from('hello')), pem: rsa.pem },
  { message: makeMessage(p256, statement, { headers: [[1, -7], [3, 'application/vnd.in-toto+json']], aad: Buffer.from('a') }), pem: p256.pem, aad: Buffer.from('a') },
];

function spec(seed: Seed, message = seed.message, pem: Uint8Array | string = seed.pem): Record<string, Json> {
  return { message: b64(message), publicKey: b64(pem), data: seed.aad === undefined ? {} : { aad: b64(seed.aad) } };
}
for (const s of SEEDS) canonicalizeCose(spec(s), ctx);

function expectOnlyRekorError(input: unknown): void {
  try {
    canonicalizeCose(input, ctx);
  } catch (err) {
    assert.ok(isRekorError(err, 'invalid_entry'), `unexpected ${err instanceof Error ? err.stack : String(err)}`);
  }
}

const ops = fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 });
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('member' as const), key: fc.constantFrom('message', 'publicKey', 'data', 'x'), value: fc.option(fc.jsonValue({ maxDepth: 3 })) }),
  fc.record({ kind: fc.constant('data' as const), key: fc.constantFrom('aad', 'payloadHash', 'envelopeHash'), value: fc.option(fc.jsonValue({ maxDepth: 2 })) }),
  fc.record({ kind: fc.constant('messageBytes' as const), ops }),
  fc.record({ kind: fc.constant('pemBytes' as const), ops }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(seed: Seed, m: Mutation): Record<string, Json> {
  switch (m.kind) {
    case 'messageBytes':
      return spec(seed, mutateBytes(seed.message, m.ops));
    case 'pemBytes':
      return spec(seed, seed.message, mutateBytes(Buffer.from(seed.pem), m.ops));
    case 'member': {
      const out = spec(seed);
      if (m.value === null) delete out[m.key];
      else out[m.key] = m.value as Json;
      return out;
    }
    case 'data': {
      const out = spec(seed);
      const data = out['data'] as Record<string, Json>;
      if (m.value === null) delete data[m.key];
      else data[m.key] = m.value as Json;
      return out;
    }
  }
}

describe('cose 0.0.1 under hostile input', () => {
  test('mutated proposals fail only with RekorError(invalid_entry)', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(fc.nat(SEEDS.length - 1), mutation, (which, m) => expectOnlyRekorError(apply(SEEDS[which] as Seed, m))),
      { numRuns: 3000 },
    );
  });

  test('random CBOR values and protected headers as the message fail only with RekorError', () => {
    const anything = fc.anything({ maxDepth: 4, withMap: true, withSet: false, withBigInt: true, withTypedArray: true, withNullPrototype: false });
    fc.assert(
      fc.property(anything, fc.boolean(), (value, asProtected) => {
        let bytes: Uint8Array;
        try {
          bytes = asProtected ? encodeCbor([encodeCbor(value), new Map(), Buffer.from('x'), Buffer.alloc(64)]) : encodeCbor(value);
        } catch {
          return; // cbor-x cannot encode it: nothing to test
        }
        expectOnlyRekorError(spec(SEEDS[0] as Seed, bytes));
      }),
      { numRuns: 2000 },
    );
  });

  test('random bytes behind the COSE_Sign1 prefix fail only with RekorError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => expectOnlyRekorError(spec(SEEDS[0] as Seed, Buffer.concat([Buffer.from('d284', 'hex'), tail])))),
      { numRuns: 3000 },
    );
  });

  test('whole-spec junk fails only with RekorError', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => expectOnlyRekorError(value)), { numRuns: 1000 });
  });
});
