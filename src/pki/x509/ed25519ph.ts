/**
 * Ed25519ph (RFC 8032, SHA-512 prehash, empty context) verification of a digest the caller
 * already holds. OpenSSL 3.0 (Node 20's) has no Ed25519ph, and @noble/curves' ed25519ph only
 * takes the message (it hashes it itself), so the check is written here on noble's point
 * arithmetic, with the exact acceptance rules of Go's crypto/ed25519 (what Rekor uses):
 * signature 64 bytes, S canonical (< L), public key decoded leniently (non-canonical y accepted),
 * cofactorless equation [S]B - [k]A == R compared on the encoding of R. Both backends use it.
 */
import { createHash } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';

const Point = ed25519.Point;
const L = Point.Fn.ORDER;
/** dom2(phflag = 1, context = empty). */
const DOM2_PH = Buffer.concat([Buffer.from('SigEd25519 no Ed25519 collisions', 'latin1'), Buffer.from([1, 0])]);

function littleEndian(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes).reverse().toString('hex') || '0'}`);
}

/** True when `signature` is a valid Ed25519ph signature by `publicKey` over the SHA-512 `digest`. */
export function verifyEd25519ph(publicKey: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || digest.length !== 64 || signature.length !== 64) return false;
  if (((signature[63] as number) & 0xe0) !== 0) return false;
  const s = littleEndian(signature.subarray(32));
  if (s >= L) return false;
  let a;
  try {
    a = Point.fromBytes(publicKey, true);
  } catch {
    return false;
  }
  const r = signature.subarray(0, 32);
  const k = littleEndian(createHash('sha512').update(DOM2_PH).update(r).update(publicKey).update(digest).digest()) % L;
  const expectedR = Point.BASE.multiplyUnsafe(s).add(a.negate().multiplyUnsafe(k));
  return Buffer.from(expectedR.toBytes()).equals(r);
}
