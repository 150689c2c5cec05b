/**
 * Checkpoints signed with generated P-256, Ed25519 and RSA log keys verify under both key-ID
 * styles, and every single-byte tamper of the serialized note fails. Witness cosignatures
 * (tlog-cosignature/v1) verify when their key is given and are skipped otherwise. Key-ID rules
 * are checked against the production Rekor v2 log ID.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { testdataPath } from '../../test/testdata.js';
import {
  NoteError,
  cosignatureKeyId,
  cosignatureTimestamp,
  cosignatureVerifier,
  ed25519NoteHash,
  isNoteError,
  keyVerifier,
  parseSignedNote,
  rawEd25519,
  serializeSignedNote,
  signCheckpoint,
  verifyCheckpoint,
  type KeyIdStyle,
} from '../note/index.js';
import { checkpointSigner, generateSignerKey, publicKeyFromPem, toHex, type LogSignerAlgorithm } from './index.js';

const checkpoint = {
  origin: 'rekor.example.com - 1193050959916656506',
  size: 24296011n,
  rootHash: Uint8Array.from({ length: 32 }, (_, i) => i),
};

describe('checkpoint signing round trips', () => {
  const algorithms: LogSignerAlgorithm[] = ['ecdsa-p256', 'ed25519', 'rsa'];
  const styles: KeyIdStyle[] = ['rekor-v1', 'c2sp'];
  for (const algorithm of algorithms) {
    const { signer } = generateSignerKey(algorithm);
    for (const style of styles) {
      it(`${algorithm}, ${style} key id: verifies; every single-byte tamper fails`, () => {
        const name = 'rekor.example.com';
        const note = signCheckpoint({ ...checkpoint, extensions: ['Timestamp: 1'] }, checkpointSigner(signer, name, style));
        const verifier = keyVerifier({ name, publicKey: signer.publicKey, keyIdStyle: style });
        const verified = verifyCheckpoint(note, [verifier]);
        assert.equal(verified.checkpoint.size, checkpoint.size);
        assert.deepEqual(verified.checkpoint.extensions, ['Timestamp: 1']);
        const bytes = new TextEncoder().encode(note);
        for (let i = 0; i < bytes.length; i++) {
          const tampered = Uint8Array.from(bytes);
          tampered[i]! ^= 0x01;
          assert.throws(() => verifyCheckpoint(tampered, [verifier]), (err: unknown) => err instanceof NoteError, `byte ${i}`);
        }
      });
    }
  }

  it('rekor-v1 style uses the SPKI hint for every key type, as Rekor v1 does', () => {
    const { signer } = generateSignerKey('ed25519');
    const v1 = checkpointSigner(signer, 'n', 'rekor-v1');
    const c2sp = checkpointSigner(signer, 'n', 'c2sp');
    assert.notDeepEqual(v1.keyId, c2sp.keyId);
    const note = signCheckpoint(checkpoint, v1);
    assert.throws(() => verifyCheckpoint(note, [keyVerifier({ name: 'n', publicKey: signer.publicKey })]), (err: unknown) => isNoteError(err, 'no_matching_signature'));
  });
});

describe('key IDs', () => {
  it('the production Rekor v2 log ID is the C2SP Ed25519 hash of its name and key', () => {
    const pem = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAt8rlp1knGwjfbcXAYPYAkn0XiLz1x8O4t0YkEhie244=\n-----END PUBLIC KEY-----\n';
    const hash = ed25519NoteHash('log2025-1.rekor.sigstore.dev', rawEd25519(publicKeyFromPem(pem)));
    assert.equal(toHex(hash), 'cf1199155bddd051268d1f16ac5c0c75c009f6fb5a63f4177f8e18d7051e3fa0');
  });

  it('ECDSA C2SP key ID equals the Rekor v1 hint', () => {
    const key = publicKeyFromPem(readFileSync(testdataPath('trust', 'production', 'rekor.pub'), 'utf8'));
    assert.equal(toHex(keyVerifier({ name: 'x', publicKey: key }).keyId), 'c0d23d6a');
  });
});

describe('witness cosignatures', () => {
  const log = generateSignerKey('ed25519').signer;
  const witness = generateKeyPairSync('ed25519');
  const witnessName = 'witness.example/w1';

  function cosign(note: string, privateKey: KeyObject, publicKey: KeyObject, timestamp: bigint): string {
    const parsed = parseSignedNote(note);
    const message = new TextEncoder().encode(`cosignature/v1\ntime ${timestamp}\n${parsed.text}`);
    const signature = new Uint8Array(72);
    new DataView(signature.buffer).setBigUint64(0, timestamp);
    signature.set(sign(null, message, privateKey), 8);
    const keyId = cosignatureKeyId(witnessName, rawEd25519(publicKey));
    return serializeSignedNote({ text: parsed.text, signatures: [...parsed.signatures, { name: witnessName, keyId, signature }] });
  }

  const logVerifier = keyVerifier({ name: 'log.example', publicKey: log.publicKey });
  const signed = signCheckpoint({ ...checkpoint, origin: 'log.example' }, checkpointSigner(log, 'log.example', 'c2sp'));
  const cosigned = cosign(signed, witness.privateKey, witness.publicKey, 1679315147n);

  it('verifies with the witness key and reports its timestamp', () => {
    const result = verifyCheckpoint(cosigned, [logVerifier, cosignatureVerifier({ name: witnessName, publicKey: witness.publicKey })]);
    assert.deepEqual(result.verified.map((sig) => sig.name), ['log.example', witnessName]);
    assert.equal(cosignatureTimestamp(result.verified[1]!.signature), 1679315147n);
  });

  it('is skipped when the witness is unknown', () => {
    assert.equal(verifyCheckpoint(cosigned, [logVerifier]).verified.length, 1);
  });

  it('fails when the timestamp is altered', () => {
    const note = parseSignedNote(cosigned);
    const witnessLine = note.signatures[1]!;
    const altered = Uint8Array.from(witnessLine.signature);
    altered[7]! ^= 1;
    const tampered = serializeSignedNote({ text: note.text, signatures: [note.signatures[0]!, { ...witnessLine, signature: altered }] });
    const verifiers = [logVerifier, cosignatureVerifier({ name: witnessName, publicKey: witness.publicKey })];
    assert.throws(() => verifyCheckpoint(tampered, verifiers), (err: unknown) => isNoteError(err, 'bad_signature'));
  });
});
