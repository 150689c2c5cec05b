/**
 * The Signed Entry Timestamp (Rekor v1): the log key's signature over the RFC 8785 (JCS) form of
 * `{"body":…,"integratedTime":N,"logID":"…","logIndex":N}`, where `body` is the base64 text
 * exactly as served, `logID` lower-case hex, and `logIndex` the GLOBAL index.
 *
 * The server signs one SET per appended entry, so the payload is built as a string directly:
 * base64 and hex never need JSON escaping (we check that; anything else goes through
 * `canonicalize`), and integers are written from bigint digits so indices above 2^53 stay exact.
 * Throws KeyError('invalid_input') for values that cannot be a SET field.
 */
import canonicalizeModule from 'canonicalize';
import type { KeyObject } from 'node:crypto';
import { verifyLogSignature } from '../note/index.js';
import { KeyError } from './errors.js';
import type { LogSigner } from './signer.js';

type Canonicalize = (input: unknown) => string | undefined;
// The package is CommonJS (`module.exports = fn`) but declares `export default`, which nodenext
// types as the module object; at run time the default import is the function itself.
const loaded = canonicalizeModule as unknown as Canonicalize | { default: Canonicalize };
const canonicalize: Canonicalize = typeof loaded === 'function' ? loaded : loaded.default;

export interface SetFields {
  /** The entry body as base64 text, exactly as it appears in the LogEntry. */
  body: string;
  /** Integration time in whole seconds. */
  integratedTime: bigint | number;
  /** Lower-case hex log ID. */
  logID: string;
  /** The global (virtual) log index. */
  logIndex: bigint | number;
}

const NO_ESCAPE_BASE64 = /^[A-Za-z0-9+/=]*$/;
const NO_ESCAPE_HEX = /^[0-9a-f]*$/;
const encoder = new TextEncoder();

function integer(name: string, value: bigint | number): string {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new KeyError('invalid_input', `${name} ${value} is not a safe integer; pass a bigint`);
  }
  if (value < 0) throw new KeyError('invalid_input', `${name} ${value} is negative`);
  return value.toString();
}

function jsonString(value: string, plain: RegExp): string {
  // Strings of these alphabets serialize as themselves in quotes; others are escaped by JCS.
  return plain.test(value) ? `"${value}"` : (canonicalize(value) ?? '');
}

/** The exact bytes a SET signs. */
export function setPayload(fields: SetFields): Uint8Array {
  const body = jsonString(fields.body, NO_ESCAPE_BASE64);
  const time = integer('integratedTime', fields.integratedTime);
  const logID = jsonString(fields.logID, NO_ESCAPE_HEX);
  const index = integer('logIndex', fields.logIndex);
  return encoder.encode(`{"body":${body},"integratedTime":${time},"logID":${logID},"logIndex":${index}}`);
}

/** Signs a SET with the shard key (ECDSA: DER over SHA-256). */
export function signSET(signer: LogSigner, fields: SetFields): Uint8Array {
  return signer.sign(setPayload(fields));
}

/** True when `signature` is a valid SET by `publicKey` over `fields`. Never throws on bad signatures. */
export function verifySET(publicKey: KeyObject, fields: SetFields, signature: Uint8Array): boolean {
  return verifyLogSignature(publicKey, setPayload(fields), signature);
}
