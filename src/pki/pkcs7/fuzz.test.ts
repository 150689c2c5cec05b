// Hostile input for the PKCS#7 reader and verifier: SignedData from openssl cms (RSA, RSA-PSS,
// ECDSA; with and without signed attributes; an RFC 3161 token), mutated byte-wise, must parse and verify or fail
// with RekorError('invalid_entry'), in bounded time; never another exception.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { isRekorError } from '../../errors.js';
import { canonicalPkcs7Signature, parseContentInfo, pkcs7PublicKey, verifyOptionalTimestamp, verifySignedData } from './index.js';
import { OpensslWorkspace } from './testonly.js';
import { byteOp, mutateBytes } from '../../fuzz-testonly.js';

describe('pki/pkcs7 under hostile input', () => {
  const ws = new OpensslWorkspace();
  after(() => ws.dispose());

  test('mutated openssl SignedData fails only with RekorError(invalid_entry)', { timeout: 300_000 }, () => {
    const data = Buffer.from('fuzzed content\n');
    const rsa = ws.signer('rsa');
    const ec = ws.signer('ec-p256');
    const seeds = [ws.cmsSign(rsa, data), ws.cmsSign(ec, data, { noAttributes: true }), ws.cmsSign(rsa, data, { pssSaltLength: 'digest' }), ws.cmsSign(ec, data, { detached: true }), ws.timestamp(rsa, { tokenOnly: true })];
    fc.assert(
      fc.property(fc.nat(seeds.length - 1), fc.array(byteOp, { minLength: 1, maxLength: 3 }), fc.boolean(), (which, ops, external) => {
        const bytes = mutateBytes(seeds[which] as Buffer, ops);
        const started = Date.now();
        try {
          const sd = parseContentInfo(bytes).signedData;
          if (sd !== undefined) {
            canonicalPkcs7Signature(sd);
            for (const signer of verifySignedData(sd, external ? data : undefined)) verifyOptionalTimestamp(signer.signerInfo, sd);
            pkcs7PublicKey(sd);
          }
        } catch (err) {
          assert.ok(isRekorError(err, 'invalid_entry'), `unexpected ${err instanceof Error ? err.stack : String(err)}`);
        }
        assert.ok(Date.now() - started < 2000);
      }),
      { numRuns: 1500 },
    );
  });
});
