/**
 * Log signing keys: load a PEM private key (PKCS#8, SEC1 or PKCS#1, optionally encrypted), or
 * generate one, and wrap it as a LogSigner that signs the way Rekor's file signer does:
 * ECDSA over SHA-256 whatever the curve, ASN.1 DER (what Rekor and sigstore-js expect);
 * RSA PKCS#1 v1.5 over SHA-256; Ed25519 pure.
 *
 * The private KeyObject is parsed once; `sign` is synchronous and cheap enough to run for every
 * appended entry. Loading errors are KeyError with a code and a message naming the problem.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { KeyError } from './errors.js';

export type LogSignerAlgorithm = 'ecdsa-p256' | 'ecdsa-p384' | 'ecdsa-p521' | 'rsa' | 'ed25519';

export interface LogSigner {
  publicKey: KeyObject;
  /** DER SubjectPublicKeyInfo. */
  publicKeyDer: Uint8Array;
  /** SPKI PEM, 64-column base64 lines, trailing "\n" (what GET /api/v1/log/publicKey serves). */
  publicKeyPem: string;
  algorithm: LogSignerAlgorithm;
  sign(data: Uint8Array): Uint8Array;
}

const MIN_RSA_BITS = 2048;
const CURVES: Record<string, LogSignerAlgorithm> = {
  prime256v1: 'ecdsa-p256',
  secp384r1: 'ecdsa-p384',
  secp521r1: 'ecdsa-p521',
};

/** The signing algorithm for a key, or KeyError('unsupported_key'). */
export function algorithmOf(key: KeyObject): LogSignerAlgorithm {
  const type = key.asymmetricKeyType;
  if (type === 'ed25519') return 'ed25519';
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
    const algorithm = CURVES[curve];
    if (algorithm === undefined) throw new KeyError('unsupported_key', `unsupported ecdsa curve ${curve}, want P-256, P-384 or P-521`);
    return algorithm;
  }
  if (type === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) throw new KeyError('unsupported_key', `rsa key of ${bits} bits is too small, want at least ${MIN_RSA_BITS}`);
    return 'rsa';
  }
  throw new KeyError('unsupported_key', `unsupported key type ${String(type)}, want ecdsa, rsa or ed25519`);
}

/** Wraps an already parsed private key. */
export function signerFromKeyObject(privateKey: KeyObject): LogSigner {
  if (privateKey.type !== 'private') throw new KeyError('invalid_input', 'a log signer needs a private key');
  const algorithm = algorithmOf(privateKey);
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ format: 'der', type: 'spki' });
  const hash = algorithm === 'ed25519' ? null : 'sha256';
  return {
    publicKey,
    publicKeyDer: Uint8Array.from(der),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    algorithm,
    sign(data: Uint8Array): Uint8Array {
      const signature = cryptoSign(hash, data, privateKey);
      return new Uint8Array(signature.buffer, signature.byteOffset, signature.byteLength);
    },
  };
}

function isEncryptedPem(pem: string): boolean {
  return pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || /Proc-Type:\s*4,ENCRYPTED/.test(pem);
}

/** Parses a PEM private key; `password` is needed (and only used) for an encrypted one. */
export function privateKeyFromPem(pem: string, password?: string): KeyObject {
  const encrypted = isEncryptedPem(pem);
  if (encrypted && (password === undefined || password === '')) {
    throw new KeyError('password_required', 'the private key is encrypted: a password is required');
  }
  try {
    return createPrivateKey(encrypted ? { key: pem, format: 'pem', passphrase: password ?? '' } : { key: pem, format: 'pem' });
  } catch (err) {
    if (encrypted) throw new KeyError('wrong_password', 'cannot decrypt the private key: wrong password', { cause: err });
    throw new KeyError('malformed_key', 'cannot parse the private key: not a PKCS#8, SEC1 or PKCS#1 PEM key', { cause: err });
  }
}

/** Loads a log signer from a PEM private key, optionally encrypted. */
export function signerFromPem(pem: string, password?: string): LogSigner {
  return signerFromKeyObject(privateKeyFromPem(pem, password));
}

/** Generates a fresh key (ECDSA P-256 unless told otherwise) and its unencrypted PKCS#8 PEM. */
export function generateSignerKey(algorithm: LogSignerAlgorithm = 'ecdsa-p256'): { privateKeyPem: string; signer: LogSigner } {
  const { privateKey } = generateKeyFor(algorithm);
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    signer: signerFromKeyObject(privateKey),
  };
}

function generateKeyFor(algorithm: LogSignerAlgorithm): { privateKey: KeyObject } {
  switch (algorithm) {
    case 'ecdsa-p256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'ecdsa-p384':
      return generateKeyPairSync('ec', { namedCurve: 'P-384' });
    case 'ecdsa-p521':
      return generateKeyPairSync('ec', { namedCurve: 'P-521' });
    case 'rsa':
      return generateKeyPairSync('rsa', { modulusLength: 3072 });
    case 'ed25519':
      return generateKeyPairSync('ed25519');
  }
}
