// Hostile input: real timestamp responses (production fixtures and fresh openssl ones), mutated
// byte-wise and at their TLV headers, must either canonicalize or fail with
// RekorError('invalid_entry'), in bounded time; never another exception.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { isRekorError } from '../../../errors.js';
import { readGoAsn1 } from '../../../pki/der.js';
import { OpensslWorkspace } from '../../../pki/pkcs7/testonly.js';
import { testdataPath } from '../../../../test/testdata.js';
import { defaultTypeContext } from '../../types.js';
import { canonicalizeRfc3161 } from './entry.js';

const ctx = defaultTypeContext();
const MAX_MS = 2000;

async function check(tsr: Uint8Array): Promise<void> {
  const started = Date.now();
  try {
    await canonicalizeRfc3161({ tsr: { content: Buffer.from(tsr).toString('base64') } }, ctx);
  } catch (err) {
    assert.ok(isRekorError(err, 'invalid_entry'), `unexpected ${err instanceof Error ? err.stack : String(err)}`);
  }
  assert.ok(Date.now() - started < MAX_MS, `took ${Date.now() - started} ms`);
}

/** Offsets of every element header, so that mutations hit tags and lengths often. */
function headerOffsets(der: Uint8Array): number[] {
  const out: number[] = [];
  const walk = (start: number, limit: number) => {
    for (let pos = start; pos < limit; ) {
      const el = readGoAsn1(der, pos, limit);
      out.push(pos);
      if (el.constructed) walk(el.contentStart, el.end);
      pos = el.end;
    }
  };
  walk(0, der.length);
  return out;
}

function mutate(bytes: Uint8Array, headers: readonly number[], ops: Array<[number, number, number, boolean]>): Buffer {
  let out = Buffer.from(bytes);
  for (const [kind, where, value, atHeader] of ops) {
    if (out.length === 0) break;
    const base = atHeader && headers.length > 0 ? (headers[where % headers.length] as number) + (kind % 3) : where;
    const i = base % out.length;
    switch (kind % 5) {
      case 0:
        out[i] = value;
        break;
      case 1:
        out = Buffer.concat([out.subarray(0, i), out.subarray(i + 1)]);
        break;
      case 2:
        out = Buffer.concat([out.subarray(0, i), Buffer.of(value), out.subarray(i)]);
        break;
      case 3:
        out = out.subarray(0, i);
        break;
      default:
        out[i] = (out[i] as number) ^ (1 << (value % 8));
    }
  }
  return out;
}

describe('rfc3161 0.0.1 under hostile input', () => {
  const ws = new OpensslWorkspace();
  after(() => ws.dispose());

  test('mutated real responses fail only with RekorError(invalid_entry)', { timeout: 300_000 }, async () => {
    const seeds = [
      ...['rekor-test.tsr', 'java-freetsa_response.tsr', 'java-sigstore_tsa_response_with_embedded_certs.tsr'].map((f) =>
        readFileSync(testdataPath('artifacts', 'rfc3161', f)),
      ),
      ws.timestamp(ws.signer('rsa')),
      ws.timestamp(ws.signer('ec-p384'), { signerDigest: 'sha384' }),
    ];
    for (const s of seeds) await canonicalizeRfc3161({ tsr: { content: s.toString('base64') } }, ctx);
    const headers = seeds.map(headerOffsets);
    const op = fc.tuple(fc.nat(), fc.nat(), fc.nat(255), fc.boolean());
    await fc.assert(
      fc.asyncProperty(fc.nat(seeds.length - 1), fc.array(op, { minLength: 1, maxLength: 4 }), async (which, ops) => {
        await check(mutate(seeds[which] as Buffer, headers[which] as number[], ops));
      }),
      { numRuns: 2000 },
    );
  });

  test('hand-made hostile encodings', async () => {
    const nested = (depth: number) => {
      let inner: Buffer = Buffer.alloc(0);
      for (let i = 0; i < depth; i++) {
        const len = inner.length;
        const header = len < 0x80 ? Buffer.of(0x30, len) : len < 0x100 ? Buffer.of(0x30, 0x81, len) : Buffer.of(0x30, 0x82, len >> 8, len & 0xff);
        inner = Buffer.concat([header, inner]);
      }
      return inner;
    };
    const cases = [
      nested(2500),
      nested(100),
      Buffer.from('3084ffffffff', 'hex'),
      Buffer.from('3080020100', 'hex'),
      Buffer.from('30820003020100', 'hex'),
      Buffer.from('300602010230000000', 'hex'),
      Buffer.from('3003020102', 'hex'),
      Buffer.from('300a30030201003003060100', 'hex'),
      Buffer.from('1f8480808000', 'hex'),
      Buffer.alloc(10 * 1024, 0x30),
      Buffer.alloc(10 * 1024, 0xff),
    ];
    for (const c of cases) await check(c);
  });
});
