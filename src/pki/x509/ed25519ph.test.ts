import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { ed25519, ed25519ph } from '@noble/curves/ed25519.js';
import fc from 'fast-check';
import { verifyEd25519ph } from './ed25519ph.js';

const sha512 = (m: Uint8Array) => new Uint8Array(createHash('sha512').update(m).digest());

describe('verifyEd25519ph (Go crypto/ed25519 rules over a digest)', () => {
  test('agrees with @noble/curves ed25519ph on honest and tampered signatures', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 100 }), fc.nat(63), fc.boolean(), (seed, msg, at, tamper) => {
        const pub = ed25519ph.getPublicKey(seed);
        const sig = ed25519ph.sign(msg, seed);
        if (tamper) sig[at] = (sig[at] as number) ^ 0x40;
        assert.equal(verifyEd25519ph(pub, sha512(msg), sig), ed25519ph.verify(sig, msg, pub, { zip215: false }));
      }),
      { numRuns: 100 },
    );
  });

  test('refuses a pure Ed25519 signature, wrong lengths, and a non-canonical S', () => {
    const seed = new Uint8Array(32).fill(7);
    const pub = ed25519.getPublicKey(seed);
    const msg = Buffer.from('m');
    assert.equal(verifyEd25519ph(pub, sha512(msg), ed25519.sign(msg, seed)), false);
    const sig = ed25519ph.sign(msg, seed);
    assert.equal(verifyEd25519ph(pub, sha512(msg), sig), true);
    assert.equal(verifyEd25519ph(pub, sha512(msg).subarray(1), sig), false);
    assert.equal(verifyEd25519ph(pub, sha512(msg), sig.subarray(1)), false);
    assert.equal(verifyEd25519ph(pub.subarray(1), sha512(msg), sig), false);
    const high = Uint8Array.from(sig);
    high[63] = (high[63] as number) | 0xe0;
    assert.equal(verifyEd25519ph(pub, sha512(msg), high), false);
  });
});
