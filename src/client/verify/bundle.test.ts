/**
 * verifyBundle on bundles of fake v1 and v2 logs: media types and what each requires, checks
 * done before any crypto, kind/version consistency, indices above 2^53, Rekor v2 (Ed25519, C2SP
 * key IDs, origin = name, witness lines), and an RSA log whose trusted root carries PKCS#1.
 */
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { describe, it } from 'node:test';
import { checkpointSigner } from '../../crypto/index.js';
import { parseSignedNote, serializeSignedNote, signCheckpoint } from '../../note/index.js';
import { bundleFor, createFakeLog, proofFor, trustedRootFor } from './fake-log.testkit.js';
import { isVerificationError, verifyBundle, type TrustInput, type VerificationErrorCode } from './index.js';

type Bundle = Record<string, unknown>;
type TlogEntry = Record<string, unknown> & { inclusionProof: Record<string, unknown> };

const v1 = createFakeLog({ size: 5, offset: 4163431n });
const v1Trust = trustedRootFor(v1);
const entryOf = (bundle: Bundle) => (bundle['verificationMaterial'] as { tlogEntries: TlogEntry[] }).tlogEntries[0] as TlogEntry;
const V01 = 'application/vnd.dev.sigstore.bundle+json;version=0.1';
const V02 = 'application/vnd.dev.sigstore.bundle+json;version=0.2';

function expectError(bundle: unknown, trust: TrustInput, code: VerificationErrorCode): void {
  assert.throws(() => verifyBundle(bundle, trust), (err: unknown) => isVerificationError(err, code), `want ${code}`);
}

describe('bundle media types', () => {
  for (const mediaType of [V01, V02, 'application/vnd.dev.sigstore.bundle+json;version=0.3', 'application/vnd.dev.sigstore.bundle.v0.3+json']) {
    it(`verifies ${mediaType}`, () => {
      const result = verifyBundle(JSON.stringify(bundleFor(v1, 2, mediaType)), v1Trust);
      assert.equal(result.tlogEntries[0]?.logIndex, 4163433n);
      assert.deepEqual(result.tlogEntries[0]?.verified, { entryUuid: false, inclusionProof: true, checkpoint: true, signedEntryTimestamp: true });
    });
  }
  it('rejects an unknown media type', () => expectError(bundleFor(v1, 2, 'application/vnd.dev.sigstore.bundle.v0.4+json'), v1Trust, 'MALFORMED'));
});

describe('what each version requires', () => {
  it('v0.1 needs a SET', () => {
    const bundle = bundleFor(v1, 1, V01);
    delete entryOf(bundle)['inclusionPromise'];
    expectError(bundle, v1Trust, 'SET_MISSING');
  });
  it('v0.1 takes a SET alone', () => {
    const bundle = bundleFor(v1, 1, V01);
    delete (entryOf(bundle) as Record<string, unknown>)['inclusionProof'];
    assert.equal(verifyBundle(bundle, v1Trust).tlogEntries[0]?.verified.signedEntryTimestamp, true);
  });
  it('v0.2+ needs an inclusion proof', () => {
    const bundle = bundleFor(v1, 1, V02);
    delete (entryOf(bundle) as Record<string, unknown>)['inclusionProof'];
    expectError(bundle, v1Trust, 'INCLUSION_PROOF_MISSING');
  });
  it('v0.3 needs a checkpoint', () => {
    const bundle = bundleFor(v1, 1);
    delete entryOf(bundle).inclusionProof['checkpoint'];
    expectError(bundle, v1Trust, 'CHECKPOINT_MISSING');
  });
  it('a broken proof is reported as such even when the checkpoint is also missing', () => {
    const bundle = bundleFor(v1, 1, V02);
    delete entryOf(bundle).inclusionProof['checkpoint'];
    entryOf(bundle).inclusionProof['logIndex'] = '2';
    expectError(bundle, v1Trust, 'INCLUSION_PROOF_INVALID');
  });
});

describe('structure, before any crypto', () => {
  const cases: { name: string; breakIt: (entry: TlogEntry, bundle: Bundle) => void; want: VerificationErrorCode }[] = [
    { name: 'logIndex -1 (with no trusted log at all)', breakIt: (e) => (e['logIndex'] = '-1'), want: 'MALFORMED' },
    { name: 'logIndex above int64', breakIt: (e) => (e['logIndex'] = '9223372036854775808'), want: 'MALFORMED' },
    { name: 'logIndex not a number', breakIt: (e) => (e['logIndex'] = '12a'), want: 'MALFORMED' },
    { name: 'no logId', breakIt: (e) => delete e['logId'], want: 'MALFORMED' },
    { name: 'no kindVersion', breakIt: (e) => delete e['kindVersion'], want: 'MALFORMED' },
    { name: 'no body', breakIt: (e) => delete e['canonicalizedBody'], want: 'MALFORMED' },
    { name: 'body not JSON', breakIt: (e) => (e['canonicalizedBody'] = 'AAAA'), want: 'MALFORMED' },
    { name: 'kind differs from the body', breakIt: (e) => (e['kindVersion'] = { kind: 'dsse', version: '0.0.1' }), want: 'KIND_VERSION_MISMATCH' },
    { name: 'version differs from the body', breakIt: (e) => (e['kindVersion'] = { kind: 'hashedrekord', version: '0.0.2' }), want: 'KIND_VERSION_MISMATCH' },
    { name: 'no tlog entries', breakIt: (_e, b) => ((b['verificationMaterial'] as { tlogEntries: unknown[] }).tlogEntries = []), want: 'NO_TLOG_ENTRIES' },
    { name: 'hash not base64', breakIt: (e) => ((e.inclusionProof['hashes'] as string[])[0] = '!!'), want: 'MALFORMED' },
  ];
  for (const c of cases) {
    it(`fails: ${c.name}`, () => {
      const bundle = bundleFor(v1, 3);
      c.breakIt(entryOf(bundle), bundle);
      expectError(bundle, [], c.want);
    });
  }

  it('fails on the first broken entry of several', () => {
    const bundle = bundleFor(v1, 3);
    const good = entryOf(bundle);
    const bad = { ...entryOf(bundleFor(v1, 4)), integratedTime: '1700000001' };
    (bundle['verificationMaterial'] as { tlogEntries: unknown[] }).tlogEntries = [good, bad];
    expectError(bundle, v1Trust, 'SET_INVALID');
  });
});

describe('encodings and large indices', () => {
  it('keeps global indices above 2^53 exact (int64 strings)', () => {
    const big = createFakeLog({ size: 3, offset: (1n << 60n) + 1n });
    const result = verifyBundle(bundleFor(big, 2), trustedRootFor(big));
    assert.equal(result.tlogEntries[0]?.logIndex, (1n << 60n) + 3n);
  });

  it('accepts URL-safe unpadded base64 (proto3 JSON)', () => {
    const bundle = bundleFor(v1, 0);
    const entry = entryOf(bundle);
    const urlSafe = (s: string) => s.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    entry.inclusionProof['hashes'] = (entry.inclusionProof['hashes'] as string[]).map(urlSafe);
    entry['canonicalizedBody'] = urlSafe(entry['canonicalizedBody'] as string);
    assert.equal(verifyBundle(bundle, v1Trust).tlogEntries.length, 1);
  });
});

describe('Rekor v2 entries', () => {
  const v2 = createFakeLog({ v2: true, size: 6 });
  const plain = [{ publicKey: v2.signer.publicKeyPem, name: v2.name }];

  function withCheckpoint(envelope: string): Bundle {
    const bundle = bundleFor(v2, 4);
    entryOf(bundle).inclusionProof['checkpoint'] = { envelope };
    return bundle;
  }
  const root = proofFor(v2, 4).rootHash;

  it('verifies with a trusted root (C2SP log ID) and with a plain key', () => {
    for (const trust of [trustedRootFor(v2), plain]) {
      const [result] = verifyBundle(bundleFor(v2, 4), trust).tlogEntries;
      assert.equal(result?.checkpoint?.origin, v2.name);
      assert.equal(result?.verified.signedEntryTimestamp, false);
    }
  });

  it('skips a witness line and a second key under the log name', () => {
    const note = parseSignedNote(proofFor(v2, 4).checkpoint);
    const foreign = { name: v2.name, keyId: Uint8Array.of(1, 2, 3, 4), signature: new Uint8Array(64) };
    const witness = { name: 'witness.example/w1', keyId: Uint8Array.of(9, 9, 9, 9), signature: new Uint8Array(72) };
    const envelope = serializeSignedNote({ text: note.text, signatures: [witness, ...note.signatures, foreign] });
    assert.equal(verifyBundle(withCheckpoint(envelope), plain).tlogEntries[0]?.verified.checkpoint, true);
  });

  it('rejects an origin other than the log name', () => {
    const envelope = signCheckpoint({ origin: 'other.rekor.test', size: 6n, rootHash: root }, checkpointSigner(v2.signer, v2.name, 'c2sp'));
    expectError(withCheckpoint(envelope), plain, 'CHECKPOINT_INVALID');
  });

  it('rejects a signature under another name', () => {
    const envelope = signCheckpoint({ origin: 'log2099.rekor.other', size: 6n, rootHash: root }, checkpointSigner(v2.signer, 'log2099.rekor.other', 'c2sp'));
    expectError(withCheckpoint(envelope), trustedRootFor(v2), 'CHECKPOINT_INVALID');
  });

  it('needs the inclusion proof even without a SET requirement', () => {
    const bundle = bundleFor(v2, 4);
    delete (entryOf(bundle) as Record<string, unknown>)['inclusionProof'];
    expectError(bundle, plain, 'INCLUSION_PROOF_MISSING');
  });
});

describe('an RSA log in a trusted root', () => {
  const rsa = createFakeLog({ algorithm: 'rsa', size: 3 });
  const pkcs1 = Uint8Array.from(createPublicKey(rsa.signer.publicKeyPem).export({ format: 'der', type: 'pkcs1' }));

  it('reads PKCS#1 rawBytes for RSA keyDetails (the sigstore-js quirk) and SPKI as well', () => {
    assert.equal(verifyBundle(bundleFor(rsa, 1), trustedRootFor(rsa, { rawBytes: pkcs1 })).tlogEntries.length, 1);
    assert.equal(verifyBundle(bundleFor(rsa, 1), trustedRootFor(rsa)).tlogEntries.length, 1);
  });
});
