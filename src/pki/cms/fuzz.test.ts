// Hostile input for the CMS reader and verifier: SignedData from openssl cms (RSA, RSA-PSS,
// ECDSA; with and without signed attributes), mutated byte-wise, must parse and verify or fail
// with CmsError, in bounded time; never another exception.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { CmsError, parseContentInfoSignedData, verifySignedData } from './index.js';
import { OpensslWorkspace } from './testonly.js';

describe('pki/cms under hostile input', () => {
  const ws = new OpensslWorkspace();
  after(() => ws.dispose());

  test('mutated SignedData fails only with CmsError', { timeout: 300_000 }, () => {
    const data = Buffer.from('fuzzed content\n');
    const rsa = ws.signer('rsa');
    const ec = ws.signer('ec-p256');
    const seeds = [ws.cmsSign(rsa, data), ws.cmsSign(ec, data, { noAttributes: true }), ws.cmsSign(rsa, data, { pssSaltLength: 'digest' }), ws.cmsSign(ec, data, { detached: true })];
    const op = fc.tuple(fc.nat(3), fc.nat(), fc.nat(255));
    fc.assert(
      fc.property(fc.nat(seeds.length - 1), fc.array(op, { minLength: 1, maxLength: 3 }), fc.boolean(), (which, ops, external) => {
        let bytes = Buffer.from(seeds[which] as Buffer);
        for (const [kind, where, value] of ops) {
          if (bytes.length === 0) break;
          const i = where % bytes.length;
          if (kind === 0) bytes[i] = value;
          else if (kind === 1) bytes = Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
          else if (kind === 2) bytes = Buffer.concat([bytes.subarray(0, i), Buffer.of(value), bytes.subarray(i)]);
          else bytes = bytes.subarray(0, i);
        }
        const started = Date.now();
        try {
          const sd = parseContentInfoSignedData(bytes).signedData;
          if (sd !== undefined) verifySignedData(sd, external ? data : undefined);
        } catch (err) {
          assert.ok(err instanceof CmsError, `unexpected ${err instanceof Error ? err.stack : String(err)}`);
        }
        assert.ok(Date.now() - started < 2000);
      }),
      { numRuns: 1500 },
    );
  });
});
