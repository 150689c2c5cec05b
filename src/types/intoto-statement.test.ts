import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { testdataPath } from '../../test/testdata.js';
import { IN_TOTO_PAYLOAD_TYPE, inTotoDigestKeys } from './intoto-statement.js';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const SLSA02 = 'https://slsa.dev/provenance/v0.2';

describe('inTotoDigestKeys', () => {
  const cases: Array<{ name: string; payloadType?: string; payload: Uint8Array; want: string[] }> = [
    { name: 'subjects, lower-cased', payload: json({ subject: [{ name: 'a', digest: { SHA256: 'AB', sha512: 'cd' } }, { digest: { sha1: 'ef' } }] }), want: ['sha256:ab', 'sha512:cd', 'sha1:ef'] },
    {
      name: 'subjects and SLSA v0.2 materials',
      payload: json({ predicateType: SLSA02, subject: [{ digest: { sha256: '01' } }], predicate: { builder: { id: 'b' }, materials: [{ uri: 'git', digest: { sha1: '02' } }, { uri: 'x' }] } }),
      want: ['sha256:01', 'sha1:02'],
    },
    { name: 'materials skipped when the predicate does not fit SLSA v0.2', payload: json({ subject: [{ digest: { sha256: '01' } }], predicate: { builder: 'not an object', materials: [{ digest: { sha1: '02' } }] } }), want: ['sha256:01'] },
    { name: 'materials with a bad timestamp are skipped', payload: json({ predicate: { metadata: { buildStartedOn: 'yesterday' }, materials: [{ digest: { sha1: '02' } }] } }), want: [] },
    { name: 'subject digest not a string map: nothing', payload: json({ subject: [{ digest: { sha256: 5 } }] }), want: [] },
    { name: 'subject not an array: nothing', payload: json({ subject: {} }), want: [] },
    { name: 'other payload type', payloadType: 'text/plain', payload: json({ subject: [{ digest: { sha256: '01' } }] }), want: [] },
    { name: 'not JSON', payload: Buffer.from('{"subject":'), want: [] },
    { name: 'JSON array', payload: json([1]), want: [] },
    { name: 'null', payload: json(null), want: [] },
    { name: 'empty', payload: new Uint8Array(), want: [] },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(inTotoDigestKeys(c.payloadType ?? IN_TOTO_PAYLOAD_TYPE, c.payload), c.want));
  }

  test('the sigstore-js test statement', () => {
    const payload = readFileSync(testdataPath('entries', 'bundles', 'production-v1', 'sigstore-js-statement.json'));
    const statement = JSON.parse(payload.toString()) as { subject: Array<{ digest: Record<string, string> }> };
    const want = statement.subject.flatMap((s) => Object.entries(s.digest).map(([a, d]) => `${a}:${d}`.toLowerCase()));
    assert.ok(want.length > 0);
    assert.deepEqual(inTotoDigestKeys(IN_TOTO_PAYLOAD_TYPE, payload).slice(0, want.length), want);
  });

  test('never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.jsonValue({ maxDepth: 5 }).map(json)), (payload) => {
        const keys = inTotoDigestKeys(IN_TOTO_PAYLOAD_TYPE, payload);
        assert.ok(Array.isArray(keys));
      }),
      { numRuns: 2000 },
    );
  });
});
