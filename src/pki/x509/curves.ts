/**
 * The NIST curves Go's x509 parser accepts for ECDSA keys (P-224, P-256, P-384, P-521), with
 * their OIDs, sizes and a @noble/curves ECDSA instance for the pure-JS verifier. noble ships no
 * P-224, so it is built here from the SEC 2 parameters (checked against OpenSSL in the tests);
 * Rekor's policy never admits P-224, but Rekor still verifies such a signature before refusing it.
 */
import { ecdsa, weierstrass, type ECDSA } from '@noble/curves/abstract/weierstrass.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { sha224 } from '@noble/hashes/sha2.js';

export type EcdsaCurveName = 'P-224' | 'P-256' | 'P-384' | 'P-521';

export interface EcdsaCurve {
  readonly name: EcdsaCurveName;
  readonly oid: string;
  /** Bytes of one field element (and of one coordinate in an uncompressed point). */
  readonly byteLength: number;
  /** Order of the base point. */
  readonly order: bigint;
  readonly noble: ECDSA;
}

let p224: ECDSA | undefined;

function p224Ecdsa(): ECDSA {
  p224 ??= ecdsa(
    weierstrass({
      p: 0xffffffffffffffffffffffffffffffff000000000000000000000001n,
      n: 0xffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3dn,
      h: 1n,
      a: 0xfffffffffffffffffffffffffffffffefffffffffffffffffffffffen,
      b: 0xb4050a850c04b3abf54132565044b0b7d7bfd8ba270b39432355ffb4n,
      Gx: 0xb70e0cbd6bb4bf7f321390b94a03c1d356c21122343280d6115c1d21n,
      Gy: 0xbd376388b5f723fb4c22dfe6cd4375a05a07476444d5819985007e34n,
    }),
    sha224,
  );
  return p224;
}

const CURVES: readonly EcdsaCurve[] = [
  {
    name: 'P-224',
    oid: '1.3.132.0.33',
    byteLength: 28,
    order: 0xffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3dn,
    get noble() {
      return p224Ecdsa();
    },
  },
  { name: 'P-256', oid: '1.2.840.10045.3.1.7', byteLength: 32, order: p256.Point.Fn.ORDER, noble: p256 },
  { name: 'P-384', oid: '1.3.132.0.34', byteLength: 48, order: p384.Point.Fn.ORDER, noble: p384 },
  { name: 'P-521', oid: '1.3.132.0.35', byteLength: 66, order: p521.Point.Fn.ORDER, noble: p521 },
];

export function curveByOid(oid: string): EcdsaCurve | undefined {
  return CURVES.find((c) => c.oid === oid);
}

export function curveByName(name: EcdsaCurveName): EcdsaCurve {
  const curve = CURVES.find((c) => c.name === name);
  if (curve === undefined) throw new Error(`unknown curve ${name}`);
  return curve;
}

function toBigInt(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`);
}

/**
 * Whether an uncompressed SEC 1 point (0x04 || X || Y, already of the right length) lies on the
 * curve: coordinates below p and y^2 = x^3 + ax + b. These prime-order curves have no other
 * invalid points, and the point at infinity has no such encoding.
 */
export function isOnCurve(curve: EcdsaCurve, point: Uint8Array): boolean {
  const { p, a, b } = curve.noble.Point.CURVE();
  const x = toBigInt(point.subarray(1, 1 + curve.byteLength));
  const y = toBigInt(point.subarray(1 + curve.byteLength));
  if (x >= p || y >= p) return false;
  return (y * y - (x * x * x + a * x + b)) % p === 0n;
}
