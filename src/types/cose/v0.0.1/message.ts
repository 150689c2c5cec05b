/**
 * Decoding an untrusted COSE_Sign1 message (RFC 9052 §4.2) the way go-cose's
 * Sign1Message.UnmarshalCBOR does for Rekor: `[protected: bstr, unprotected: map, payload: bstr
 * / nil, signature: bstr]`, with the protected bstr holding a header map (or nothing), no label in
 * both header maps. The bytes are first walked by cbor-scan.ts (size, nesting, tags, duplicates),
 * so cbor-x only ever sees small well-formed input. Throws RekorError('invalid_entry') with a
 * short text that is no oracle for the decoder's internals.
 */
import { Decoder, Tag } from 'cbor-x';
import { invalidEntry } from '../../go-decode.js';
import { CborScanError, scanCbor } from './cbor-scan.js';

/** Far above any real signed statement; the whole message is also kept as the attestation. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/** The CBOR tag of COSE_Sign1_Tagged. */
export const COSE_SIGN1_TAG = 18;

/**
 * Only tagged (18) messages, as Rekor: go-cose's Sign1Message.UnmarshalCBOR refuses input not
 * starting 0xd2 0x84 ("cbor: invalid COSE_Sign1_Tagged object").
 */
const ACCEPT_UNTAGGED = false;

/** Header labels this kind reads (RFC 9052 §3.1). */
export const HEADER_ALG = 1;
export const HEADER_CONTENT_TYPE = 3;

export type HeaderMap = ReadonlyMap<unknown, unknown>;

export interface CoseSign1 {
  /** The protected header's bstr contents exactly as sent: they are signed as is. */
  readonly protectedBytes: Uint8Array;
  readonly protectedHeaders: HeaderMap;
  readonly unprotectedHeaders: HeaderMap;
  /** null for a detached payload (CBOR nil). */
  readonly payload: Uint8Array | null;
  readonly signature: Uint8Array;
}

const decoder = new Decoder({ mapsAsObjects: false, useRecords: false });

const malformed = (what: string) => invalidEntry(`invalid COSE_Sign1 message: ${what}`);

/** Scans, then decodes; any failure of either is reported as `what` being malformed. */
function decodeChecked(bytes: Uint8Array, what: string, allowTag?: number): unknown {
  try {
    scanCbor(bytes, allowTag);
    return decoder.decode(bytes) as unknown;
  } catch (err) {
    if (err instanceof CborScanError) throw malformed(`${what}: ${err.message}`);
    // cbor-x's own errors (and a RangeError, should one slip through) say nothing useful.
    throw malformed(`${what}: malformed CBOR`);
  }
}

function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

function isLabel(key: unknown): boolean {
  return (typeof key === 'number' && Number.isInteger(key)) || typeof key === 'bigint' || typeof key === 'string';
}

function headerMap(value: unknown, what: string): HeaderMap {
  if (!(value instanceof Map)) throw malformed(`${what} header must be a map`);
  for (const key of value.keys()) {
    if (!isLabel(key)) throw malformed(`${what} header label must be an integer or a text string`);
  }
  return value;
}

function decodeProtected(bytes: Uint8Array): HeaderMap {
  // RFC 9052 §3: a zero-length bstr stands for an empty protected header.
  if (bytes.length === 0) return new Map();
  return headerMap(decodeChecked(bytes, 'protected header'), 'protected');
}

/** Splits the outer structure; the tag is optional (see ACCEPT_UNTAGGED). */
function outerArray(message: Uint8Array): unknown[] {
  const tagged = message[0] === 0xd2;
  if (!tagged && !ACCEPT_UNTAGGED) throw invalidEntry('cbor: invalid COSE_Sign1_Tagged object');
  const decoded = decodeChecked(message, 'message', COSE_SIGN1_TAG);
  const body = decoded instanceof Tag ? (decoded.value as unknown) : decoded;
  if (!Array.isArray(body) || body.length !== 4) throw malformed('expected an array of 4 items');
  return body;
}

/** Decodes and structurally checks one message; signature checks are verify.ts's job. */
export function decodeCoseSign1(message: Uint8Array): CoseSign1 {
  if (message.length === 0) throw malformed('empty');
  if (message.length > MAX_MESSAGE_BYTES) throw invalidEntry(`COSE message too large, at most ${MAX_MESSAGE_BYTES} bytes`);
  const [protectedRaw, unprotectedRaw, payloadRaw, signatureRaw] = outerArray(message);
  if (!isBytes(protectedRaw)) throw malformed('protected header must be a byte string');
  if (payloadRaw !== null && !isBytes(payloadRaw)) throw malformed('payload must be a byte string or nil');
  if (!isBytes(signatureRaw)) throw malformed('signature must be a byte string');
  const protectedBytes = Uint8Array.from(protectedRaw);
  const protectedHeaders = decodeProtected(protectedBytes);
  const unprotectedHeaders = headerMap(unprotectedRaw, 'unprotected');
  for (const key of unprotectedHeaders.keys()) {
    // Compared as decoded labels: cbor-x yields the same JS value for the same CBOR label.
    if (protectedHeaders.has(key)) throw malformed('a header label is both protected and unprotected');
  }
  return {
    protectedBytes,
    protectedHeaders,
    unprotectedHeaders,
    payload: payloadRaw === null ? null : Uint8Array.from(payloadRaw),
    signature: Uint8Array.from(signatureRaw),
  };
}

/** The protected content type when it is a text string (CoAP integer formats are ignored). */
export function protectedContentType(message: CoseSign1): string | undefined {
  const value = message.protectedHeaders.get(HEADER_CONTENT_TYPE);
  return typeof value === 'string' ? value : undefined;
}
