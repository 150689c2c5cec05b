/**
 * Minisign and signify signatures as Rekor's pkg/pki/minisign reads them: the four-line minisign
 * format (untrusted comment, `alg||keyId||sig`, trusted comment, global signature), else the
 * two-line signify format. Only `alg||keyId||sig` survives canonicalization, so the trusted
 * comment and its global signature are neither stored nor checked (as in Rekor).
 * Verification: Ed25519 over the data for `Ed`, over BLAKE2b-512(data) for `ED`.
 * Parsing throws RekorError('invalid_entry'); verification returns a verdict with a reason.
 */
import { createHash, verify } from 'node:crypto';
import { RekorError } from '../../errors.js';
import { decodeStdBase64, encodeStdBase64 } from '../base64.js';
import type { MinisignPublicKey } from './key.js';

export interface MinisignSignature {
  /** `untrusted comment:\n` + base64(alg || keyId || sig), no trailing newline. */
  readonly canonical: Uint8Array;
  /** `Ed` (legacy, over the data) or `ED` (over BLAKE2b-512 of the data). */
  readonly algorithm: string;
  readonly keyId: Uint8Array;
  readonly signature: Uint8Array;
}

export type MinisignVerification = { valid: true } | { valid: false; reason: string };

const ENCODED_SIGNATURE_SIZE = 74;
const GLOBAL_SIGNATURE_SIZE = 64;
/** Comments are single lines; a signature file beyond this is not one and is not scanned. */
const MAX_SIGNATURE_INPUT = 64 * 1024;

function fail(message: string): never {
  throw new RekorError('invalid_entry', message);
}

function tryBase64(text: Uint8Array | string): Uint8Array | undefined {
  try {
    return decodeStdBase64(text);
  } catch {
    return undefined;
  }
}

function fromEncoded(bin: Uint8Array): MinisignSignature {
  const text = `untrusted comment:\n${encodeStdBase64(bin)}`;
  return {
    canonical: new Uint8Array(Buffer.from(text, 'latin1')),
    algorithm: Buffer.from(bin.subarray(0, 2)).toString('latin1'),
    keyId: bin.slice(2, 10),
    signature: bin.slice(10, ENCODED_SIGNATURE_SIZE),
  };
}

/** go-minisign DecodeSignature: SplitN(in, "\n", 4), line 2 = 74 bytes, line 4 = 64 bytes. */
function decodeMinisign(text: string): MinisignSignature | undefined {
  const lines = text.split('\n');
  if (lines.length < 4) return undefined;
  const bin = tryBase64(lines[1] as string);
  const global = tryBase64(lines.slice(3).join('\n'));
  if (bin?.length !== ENCODED_SIGNATURE_SIZE || global?.length !== GLOBAL_SIGNATURE_SIZE) return undefined;
  return fromEncoded(bin);
}

/** Rekor's signify fallback: exactly two lines once trailing newlines are cut. */
function decodeSignify(text: string): MinisignSignature {
  // strings.TrimRight(s, "\n"), done by hand: a regex here would backtrack quadratically.
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x0a) end--;
  const lines = text.slice(0, end).split('\n');
  if (lines.length !== 2) fail(`invalid signature provided: ${lines.length} lines detected`);
  const bin = tryBase64(lines[1] as string);
  if (bin === undefined) fail('invalid signature provided: base64 decoding failed');
  if (bin.length !== ENCODED_SIGNATURE_SIZE) fail(`invalid signature provided: incorrect size ${bin.length} detected`);
  return fromEncoded(bin);
}

/** Parses a minisign or signify signature. Throws RekorError('invalid_entry'). */
export function parseMinisignSignature(input: Uint8Array): MinisignSignature {
  if (input.length > MAX_SIGNATURE_INPUT) fail('invalid signature provided: input too large');
  // latin1 keeps one character per byte, so Go's byte-wise splitting and base64 agree.
  const text = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
  return decodeMinisign(text) ?? decodeSignify(text);
}

/** The bytes Ed25519 signs: the data itself (`Ed`) or its BLAKE2b-512 digest (`ED`). */
function signedMessage(algorithm: string, data: Uint8Array): Uint8Array | undefined {
  if (algorithm === 'Ed') return data;
  if (algorithm === 'ED') return createHash('blake2b512').update(data).digest();
  return undefined;
}

/** Verifies a minisign signature over the data with the key. Never throws. */
export function verifyMinisignSignature(
  signature: MinisignSignature,
  key: MinisignPublicKey,
  data: Uint8Array,
): MinisignVerification {
  if (key.keyId !== undefined && Buffer.compare(key.keyId, signature.keyId) !== 0) {
    return { valid: false, reason: 'incompatible key identifiers' };
  }
  const message = signedMessage(signature.algorithm, data);
  if (message === undefined) return { valid: false, reason: 'unsupported signature algorithm' };
  let ok = false;
  try {
    ok = verify(null, message, key.publicKey, signature.signature);
  } catch {
    ok = false;
  }
  return ok ? { valid: true } : { valid: false, reason: 'verification of signed message failed' };
}
