import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import { isRekorError } from '../../errors.js';
import { DerReader, Tag, encodeTlv } from '../der.js';
import { parsePublicKeyInfo } from './keys.js';
import { testKey, type TestKeyType } from './testonly.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Rebuilds an SPKI from parts, to make malformed variants of real keys. */
function spki(algorithm: Uint8Array[], key: Uint8Array, unusedBits = 0): Uint8Array {
  return encodeTlv(Tag.SEQUENCE, encodeTlv(Tag.SEQUENCE, ...algorithm), encodeTlv(Tag.BIT_STRING, Uint8Array.of(unusedBits), key));
}

/** [algorithm OID TLV, params TLV?] and the key bytes of a real SPKI. */
function parts(der: Uint8Array): { oid: Uint8Array; params: Uint8Array | undefined; key: Uint8Array } {
  const top = new DerReader(der);
  const fields = top.enter(top.read(Tag.SEQUENCE));
  const alg = fields.enter(fields.read(Tag.SEQUENCE));
  const oid = alg.raw(alg.read(Tag.OID));
  const params = alg.done ? undefined : alg.raw(alg.read());
  const key = fields.contents(fields.read(Tag.BIT_STRING)).subarray(1);
  return { oid, params, key };
}

describe('parsePublicKeyInfo: accepted keys', () => {
  const cases: Array<{ type: TestKeyType; kind: string; detail: string }> = [
    { type: 'P-224', kind: 'ecdsa', detail: 'P-224' },
    { type: 'P-256', kind: 'ecdsa', detail: 'P-256' },
    { type: 'P-384', kind: 'ecdsa', detail: 'P-384' },
    { type: 'P-521', kind: 'ecdsa', detail: 'P-521' },
    { type: 'RSA-2048', kind: 'rsa', detail: '2048' },
    { type: 'RSA-3072', kind: 'rsa', detail: '3072' },
    { type: 'Ed25519', kind: 'ed25519', detail: '' },
  ];
  for (const c of cases) {
    test(`${c.type} parses and re-encodes to the same DER`, () => {
      const key = testKey(c.type);
      const info = parsePublicKeyInfo(key.spki);
      assert.equal(info.kind, c.kind);
      assert.equal(hex(info.spki), hex(key.spki));
      if (info.kind === 'ecdsa') assert.equal(info.curve.name, c.detail);
      if (info.kind === 'rsa') assert.equal(String(info.modulusBits), c.detail);
    });
  }

  test('DSA and X25519 keys parse but are unsupported for signatures', () => {
    const dsa = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).publicKey.export({ type: 'spki', format: 'der' });
    const x25519 = generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'der' });
    assert.deepEqual(
      [parsePublicKeyInfo(dsa), parsePublicKeyInfo(x25519)].map((k) => k.kind === 'unsupported' && k.algorithm),
      ['dsa', 'x25519'],
    );
  });

  test('extra fields Go tolerates are dropped from the canonical form', () => {
    const key = testKey('P-256');
    const { oid, params, key: point } = parts(key.spki);
    const padded = spki([oid, params as Uint8Array, encodeTlv(Tag.NULL, new Uint8Array())], point);
    assert.equal(hex(parsePublicKeyInfo(padded).spki), hex(key.spki));
  });
});

describe('parsePublicKeyInfo: refused keys (Go x509 texts)', () => {
  const p256 = parts(testKey('P-256').spki);
  const rsa = parts(testKey('RSA-2048').spki);
  const ed = parts(testKey('Ed25519').spki);
  const compressed = Uint8Array.of(0x02 + ((p256.key[64] as number) & 1), ...p256.key.subarray(1, 33));
  const offCurve = Uint8Array.from(p256.key);
  offCurve[64] = (offCurve[64] as number) ^ 1;
  const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ type: 'spki', format: 'der' });
  const ed448 = generateKeyPairSync('ed448').publicKey.export({ type: 'spki', format: 'der' });
  const pkcs1 = testKey('RSA-2048').publicKey.export({ type: 'pkcs1', format: 'der' });
  const cases: Array<{ name: string; der: Uint8Array; wantErr: string }> = [
    { name: 'trailing data', der: Uint8Array.of(...testKey('P-256').spki, 0), wantErr: 'x509: trailing data after ASN.1 of public-key' },
    { name: 'not DER', der: Uint8Array.of(1, 2, 3), wantErr: 'x509: malformed public key' },
    { name: 'PKCS#1 RSA key', der: pkcs1, wantErr: 'x509: failed to parse public key (use ParsePKCS1PublicKey instead for this key format)' },
    { name: 'compressed EC point', der: spki([p256.oid, p256.params as Uint8Array], compressed), wantErr: 'x509: failed to unmarshal elliptic curve point' },
    { name: 'point not on the curve', der: spki([p256.oid, p256.params as Uint8Array], offCurve), wantErr: 'x509: failed to unmarshal elliptic curve point' },
    { name: 'secp256k1', der: k1, wantErr: 'x509: unsupported elliptic curve' },
    { name: 'EC without curve', der: spki([p256.oid], p256.key), wantErr: 'x509: failed to parse ECDSA parameters as named curve' },
    { name: 'RSA without NULL parameters', der: spki([rsa.oid], rsa.key), wantErr: 'x509: RSA key missing NULL parameters' },
    { name: 'Ed25519 with parameters', der: spki([ed.oid, encodeTlv(Tag.NULL, new Uint8Array())], ed.key), wantErr: 'x509: Ed25519 key encoded with illegal parameters' },
    { name: 'Ed25519 of 31 bytes', der: spki([ed.oid], ed.key.subarray(1)), wantErr: 'x509: wrong Ed25519 public key size' },
    { name: 'Ed448', der: ed448, wantErr: 'x509: unknown public key algorithm' },
    { name: 'BIT STRING with unused bits', der: spki([ed.oid], ed.key, 1), wantErr: 'x509: malformed public key' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.throws(
        () => parsePublicKeyInfo(c.der),
        (err: unknown) => isRekorError(err, 'invalid_entry') && err.message === c.wantErr,
      );
    });
  }
});
