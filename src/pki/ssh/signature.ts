/**
 * SSHSIG detached signatures (OpenSSH PROTOCOL.sshsig) as Rekor's pkg/pki/ssh reads them: one
 * `SSH SIGNATURE` PEM block, version 1, namespace `file`, hash `sha256` or `sha512`. The
 * canonical value is Rekor's re-armoring (Go pem.EncodeToMemory: 64-column lines), which always
 * states `sha512` and an empty reserved field; Rekor verifies that canonical form, so a `sha256`
 * signature parses but never verifies. The key that verifies is the entry's key, not the one
 * embedded in the signature. Parsing throws RekorError('invalid_entry'); verify never throws.
 */
import { createHash } from 'node:crypto';
import { RekorError } from '../../errors.js';
import { decodePem, encodePem } from '../pem.js';
import { parseKeyBlob, verifyKeyBlobSignature, type SshKeyBlob } from './key-blob.js';
import type { SshPublicKey } from './public-key.js';
import { WireReader, uint32, wireString } from './wire.js';

export interface SshSignature {
  /** The re-armored SSHSIG, as stored in the entry body. */
  readonly canonical: Uint8Array;
  /** The hash algorithm the submitted signature stated (the canonical form says sha512). */
  readonly statedHashAlgorithm: 'sha256' | 'sha512';
  /** The key embedded in the signature. */
  readonly embeddedKey: SshKeyBlob;
  readonly format: string;
  readonly blob: Uint8Array;
  /** Trailing fields of the inner signature (security-key flags and counter), kept verbatim. */
  readonly rest: Uint8Array;
}

export type SshVerification = { valid: true } | { valid: false; reason: string };

const PEM_TYPE = 'SSH SIGNATURE';
const MAGIC = 'SSHSIG';
const NAMESPACE = 'file';
/** Rekor's canonical armor always names this hash (pkg/pki/ssh defaultHashAlgorithm). */
const CANONICAL_HASH = 'sha512';
/** An SSHSIG holds one key and one signature; 64 KiB is far beyond any real one. */
const MAX_SIGNATURE_INPUT = 64 * 1024;

function fail(message: string): never {
  throw new RekorError('invalid_entry', message);
}

function armor(embeddedKey: Uint8Array, innerSignature: Uint8Array): Uint8Array {
  const body = Buffer.concat([
    Buffer.from(MAGIC, 'latin1'),
    uint32(1),
    wireString(embeddedKey, NAMESPACE, '', CANONICAL_HASH, innerSignature),
  ]);
  return new Uint8Array(Buffer.from(encodePem(PEM_TYPE, body), 'latin1'));
}

function innerSignature(bytes: Uint8Array): { format: string; blob: Uint8Array; rest: Uint8Array } {
  const reader = new WireReader(bytes, 'signature');
  const format = reader.text();
  const blob = reader.string();
  return { format, blob, rest: reader.rest() };
}

/** Parses an armored SSHSIG (rekor pkg/pki/ssh Decode). Throws RekorError('invalid_entry'). */
export function parseSshSignature(input: Uint8Array): SshSignature {
  if (input.length > MAX_SIGNATURE_INPUT) fail(`ssh signature larger than ${MAX_SIGNATURE_INPUT} bytes`);
  const { block } = decodePem(input);
  if (block === undefined) fail('unable to decode pem file');
  if (block.type !== PEM_TYPE) fail(`wrong pem block type: ${block.type}. Expected SSH-SIGNATURE`);
  const reader = new WireReader(block.bytes, 'ssh signature');
  const magic = Buffer.from(reader.raw(MAGIC.length)).toString('latin1');
  const version = reader.uint32();
  const publicKey = reader.string();
  const namespace = reader.text();
  reader.string(); // reserved: dropped by the canonical form
  const hash = reader.text();
  const signatureBytes = reader.string();
  reader.end();
  if (version !== 1) fail(`unsupported signature version: ${version}`);
  if (magic !== MAGIC) fail(`invalid magic header: ${magic}`);
  if (namespace !== NAMESPACE) fail(`invalid signature namespace: ${namespace}`);
  if (hash !== 'sha256' && hash !== 'sha512') fail(`unsupported hash algorithm: ${hash}`);
  const inner = innerSignature(signatureBytes);
  const embeddedKey = parseKeyBlob(publicKey);
  return { canonical: armor(publicKey, signatureBytes), statedHashAlgorithm: hash, embeddedKey, ...inner };
}

/**
 * Verifies an SSH signature over the data with the entry's key, as Rekor does: on the canonical
 * form, so the message digest is SHA-512 whatever the submitted signature stated.
 */
export function verifySshSignature(signature: SshSignature, key: SshPublicKey, data: Uint8Array): SshVerification {
  const digest = createHash(CANONICAL_HASH).update(data).digest();
  const signed = Buffer.concat([Buffer.from(MAGIC, 'latin1'), wireString(NAMESPACE, '', CANONICAL_HASH, digest)]);
  const error = verifyKeyBlobSignature(key.publicKey, signature.format, signature.blob, signed);
  return error === undefined ? { valid: true } : { valid: false, reason: error };
}
