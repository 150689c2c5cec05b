/**
 * SSH public key blobs (`string type || fields`) for the key types Rekor's SSH support is used
 * with: ssh-rsa, ssh-ed25519 and ecdsa-sha2-nistp256/384/521. Each becomes a node:crypto
 * KeyObject through JWK, and each can check an SSH signature (`string format || string blob`)
 * the way golang.org/x/crypto/ssh does. Parsing throws RekorError('invalid_entry').
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { RekorError } from '../../errors.js';
import { WireReader, positiveMpint } from './wire.js';

export interface SshKeyBlob {
  readonly type: string;
  /** The wire blob exactly as given (it is what canonical forms re-encode). */
  readonly blob: Uint8Array;
  readonly keyObject: KeyObject;
}

interface Curve {
  readonly crv: 'P-256' | 'P-384' | 'P-521';
  readonly name: string;
  readonly size: number;
  readonly hash: 'sha256' | 'sha384' | 'sha512';
}

const CURVES: Record<string, Curve> = {
  'ecdsa-sha2-nistp256': { crv: 'P-256', name: 'nistp256', size: 32, hash: 'sha256' },
  'ecdsa-sha2-nistp384': { crv: 'P-384', name: 'nistp384', size: 48, hash: 'sha384' },
  'ecdsa-sha2-nistp521': { crv: 'P-521', name: 'nistp521', size: 66, hash: 'sha512' },
};

/** RSA signature formats by hash; SHA-1 `ssh-rsa` signatures are refused. */
const RSA_FORMATS: Record<string, 'sha256' | 'sha512'> = { 'rsa-sha2-256': 'sha256', 'rsa-sha2-512': 'sha512' };
/** Bounds the cost of one RSA verification on hostile keys. */
const MAX_RSA_MODULUS_BYTES = 16384 / 8;

function fail(message: string): never {
  throw new RekorError('invalid_entry', message);
}

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

function keyObject(jwk: Record<string, string>): KeyObject {
  try {
    return createPublicKey({ key: jwk, format: 'jwk' });
  } catch (cause) {
    throw new RekorError('invalid_entry', 'ssh: invalid public key', { cause });
  }
}

function rsaKey(reader: WireReader): KeyObject {
  const e = positiveMpint(reader.string(), 'exponent');
  const n = positiveMpint(reader.string(), 'modulus');
  // Go: exponent at most 24 bits, odd and at least 3.
  const exponent = e.length > 3 ? Infinity : e.reduce((acc, byte) => acc * 256 + byte, 0);
  if (exponent === Infinity) fail('ssh: exponent too large');
  if (exponent < 3 || exponent % 2 === 0) fail('ssh: incorrect exponent');
  if (n.length === 0 || n.length > MAX_RSA_MODULUS_BYTES) fail('ssh: unsupported rsa modulus size');
  return keyObject({ kty: 'RSA', n: b64url(n), e: b64url(e) });
}

function ecdsaKey(reader: WireReader, curve: Curve): KeyObject {
  if (reader.text() !== curve.name) fail('ssh: curve name mismatch');
  const point = reader.string();
  // Only uncompressed points, as Go's elliptic.Unmarshal.
  if (point.length !== 1 + 2 * curve.size || point[0] !== 0x04) fail('ssh: invalid ecdsa point');
  const x = point.subarray(1, 1 + curve.size);
  const y = point.subarray(1 + curve.size);
  return keyObject({ kty: 'EC', crv: curve.crv, x: b64url(x), y: b64url(y) });
}

function ed25519Key(reader: WireReader): KeyObject {
  const key = reader.string();
  if (key.length !== 32) fail('ssh: invalid size for ed25519 key');
  return keyObject({ kty: 'OKP', crv: 'Ed25519', x: b64url(key) });
}

/** ssh.ParsePublicKey for the supported types. */
export function parseKeyBlob(blob: Uint8Array): SshKeyBlob {
  const reader = new WireReader(blob, 'public key');
  const type = reader.text();
  const curve = CURVES[type];
  let key: KeyObject;
  if (type === 'ssh-rsa') key = rsaKey(reader);
  else if (type === 'ssh-ed25519') key = ed25519Key(reader);
  else if (curve !== undefined) key = ecdsaKey(reader, curve);
  else fail(`ssh: unknown key algorithm: ${JSON.stringify(type)}`);
  if (!reader.done) fail('ssh: trailing junk in public key');
  return { type, blob, keyObject: key };
}

/** ECDSA signature blob `mpint r || mpint s` as IEEE P1363, or undefined if out of range. */
function ecdsaP1363(sigBlob: Uint8Array, size: number): Uint8Array | undefined {
  const reader = new WireReader(sigBlob, 'ecdsa signature');
  const r = positiveMpint(reader.string(), 'r');
  const s = positiveMpint(reader.string(), 's');
  reader.end();
  if (r.length > size || s.length > size || r.length === 0 || s.length === 0) return undefined;
  const out = new Uint8Array(2 * size);
  out.set(r, size - r.length);
  out.set(s, 2 * size - s.length);
  return out;
}

/**
 * Verifies an SSH signature (already split into format and blob) over a message. Returns an
 * error text when it does not verify, undefined when it does. Never throws.
 */
export function verifyKeyBlobSignature(key: SshKeyBlob, format: string, sigBlob: Uint8Array, message: Uint8Array): string | undefined {
  try {
    if (key.type === 'ssh-rsa') {
      const hash = RSA_FORMATS[format];
      if (hash === undefined) return `ssh: signature type ${format} for key type ${key.type}`;
      return verify(hash, message, key.keyObject, sigBlob) ? undefined : 'ssh: signature did not verify';
    }
    if (format !== key.type) return `ssh: signature type ${format} for key type ${key.type}`;
    if (key.type === 'ssh-ed25519') {
      if (sigBlob.length !== 64) return 'ssh: invalid size for ed25519 signature';
      return verify(null, message, key.keyObject, sigBlob) ? undefined : 'ssh: signature did not verify';
    }
    const curve = CURVES[key.type] as Curve;
    const p1363 = ecdsaP1363(sigBlob, curve.size);
    if (p1363 === undefined) return 'ssh: signature did not verify';
    const ok = verify(curve.hash, message, { key: key.keyObject, dsaEncoding: 'ieee-p1363' }, p1363);
    return ok ? undefined : 'ssh: signature did not verify';
  } catch {
    return 'ssh: signature did not verify';
  }
}
