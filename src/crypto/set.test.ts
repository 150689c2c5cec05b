/**
 * Signed Entry Timestamps: the exact payload bytes (equal to RFC 8785 canonicalization, exact
 * above 2^53), a real production SET, and sign/verify round trips where every single-byte
 * tamper of the signature or change of a field fails.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import canonicalizeModule from 'canonicalize';
import fc from 'fast-check';
import { testdataPath } from '../../test/testdata.js';
import { KeyError, generateSignerKey, publicKeyFromPem, setPayload, signSET, verifySET, type SetFields } from './index.js';

const canonicalize = canonicalizeModule as unknown as (input: unknown) => string;
const text = (fields: SetFields) => new TextDecoder().decode(setPayload(fields));

describe('setPayload', () => {
  const cases: { name: string; fields: SetFields; want: string }[] = [
    {
      name: 'numbers',
      fields: { body: 'eyJhIjoxfQ==', integratedTime: 1700000000, logID: 'c0d2', logIndex: 12345 },
      want: '{"body":"eyJhIjoxfQ==","integratedTime":1700000000,"logID":"c0d2","logIndex":12345}',
    },
    {
      name: 'bigints above 2^53 stay exact',
      fields: { body: 'AA==', integratedTime: 1n, logID: 'ab', logIndex: 9007199254740993n },
      want: '{"body":"AA==","integratedTime":1,"logID":"ab","logIndex":9007199254740993}',
    },
    {
      name: 'values that need escaping go through canonicalize',
      fields: { body: 'a"b\\c\u2028', integratedTime: 0, logID: 'AB\n', logIndex: 0n },
      want: canonicalize({ body: 'a"b\\c\u2028', integratedTime: 0, logID: 'AB\n', logIndex: 0 }),
    },
  ];
  for (const c of cases) it(c.name, () => assert.equal(text(c.fields), c.want));

  it('rejects values that cannot be SET integers', () => {
    const base = { body: 'AA==', logID: 'ab', integratedTime: 1, logIndex: 1 };
    for (const bad of [{ logIndex: -1 }, { integratedTime: -1n }, { logIndex: 2 ** 53 }, { integratedTime: 1.5 }]) {
      assert.throws(() => setPayload({ ...base, ...bad }), (err: unknown) => err instanceof KeyError && err.code === 'invalid_input');
    }
  });

  it('equals RFC 8785 canonicalization of the four fields (property)', () => {
    fc.assert(
      fc.property(
        fc.base64String(),
        fc.nat(),
        fc.stringMatching(/^[0-9a-f]{0,64}$/),
        fc.bigInt({ min: 0n, max: 1n << 63n }),
        (body, integratedTime, logID, logIndex) => {
          const object = `{"body":${JSON.stringify(body)},"integratedTime":${integratedTime},"logID":${JSON.stringify(logID)},"logIndex":${logIndex}}`;
          assert.equal(text({ body, integratedTime, logID, logIndex }), object);
          if (logIndex <= BigInt(Number.MAX_SAFE_INTEGER)) {
            assert.equal(object, canonicalize({ logIndex: Number(logIndex), logID, integratedTime, body }));
          }
        },
      ),
    );
  });
});

describe('verifySET', () => {
  it('verifies a production SET (global logIndex, body text as served)', () => {
    const file = testdataPath('entries', 'rekor-v1-api', 'production', 'rekord-74497915.json');
    const [entry] = Object.values(JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>);
    const key = publicKeyFromPem(readFileSync(testdataPath('trust', 'production', 'rekor.pub'), 'utf8'));
    const { body, integratedTime, logID, logIndex, verification } = entry as {
      body: string;
      integratedTime: number;
      logID: string;
      logIndex: number;
      verification: { signedEntryTimestamp: string; inclusionProof: { logIndex: number } };
    };
    const set = Buffer.from(verification.signedEntryTimestamp, 'base64');
    assert.ok(verifySET(key, { body, integratedTime, logID, logIndex }, set));
    assert.ok(!verifySET(key, { body, integratedTime, logID, logIndex: verification.inclusionProof.logIndex }, set), 'the shard-local index is not what is signed');
  });

  for (const algorithm of ['ecdsa-p256', 'ed25519', 'rsa'] as const) {
    it(`${algorithm}: round-trips, and every single-byte tamper fails`, () => {
      const { signer } = generateSignerKey(algorithm);
      const fields: SetFields = { body: 'eyJhcGlWZXJzaW9uIjoiMC4wLjEifQ==', integratedTime: 1700000000n, logID: 'c0d23d6a', logIndex: 1n << 60n };
      const signature = signSET(signer, fields);
      assert.ok(verifySET(signer.publicKey, fields, signature));
      for (let i = 0; i < signature.length; i++) {
        const tampered = Uint8Array.from(signature);
        tampered[i]! ^= 0x01;
        assert.ok(!verifySET(signer.publicKey, fields, tampered), `byte ${i} tampered still verifies`);
      }
      assert.ok(!verifySET(signer.publicKey, fields, signature.subarray(0, signature.length - 1)));
      const changed: SetFields[] = [
        { ...fields, body: 'eyJhcGlWZXJzaW9uIjoiMC4wLjIifQ==' },
        { ...fields, integratedTime: 1700000001n },
        { ...fields, logID: 'c0d23d6b' },
        { ...fields, logIndex: (1n << 60n) + 1n },
      ];
      for (const other of changed) assert.ok(!verifySET(signer.publicKey, other, signature));
      assert.ok(!verifySET(generateSignerKey(algorithm).signer.publicKey, fields, signature), 'another key');
    });
  }
});
