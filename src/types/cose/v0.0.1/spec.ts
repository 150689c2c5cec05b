/**
 * Reading a proposed cose v0.0.1 spec as Rekor does (pkg/types/cose/v0.0.1 Unmarshal:
 * DecodeEntry, then the go-swagger model's Validate from cose_v0_0_1_schema.json). Members of the
 * wrong JSON type are read as absent, as elsewhere in this project. Nested schema errors carry
 * go-openapi's repeated path (`data.payloadHash.data.payloadHash.algorithm`): the generated code
 * names an inline object's members by full path and then prefixes each level it passes through
 * (unverified against a live server). Throws RekorError('invalid_entry').
 */
import { decodeBase64Field, goTypeName, invalidEntry, isJsonObject, objectMember, stringMember, validationFailure } from '../../go-decode.js';
import { MAX_MESSAGE_BYTES } from './message.js';

export interface CoseHash {
  readonly algorithm: string | undefined;
  readonly value: string | undefined;
}

export interface CoseSpec {
  /** The COSE_Sign1 bytes; undefined when absent or empty (Rekor treats both alike). */
  readonly message: Uint8Array | undefined;
  readonly publicKey: Uint8Array | undefined;
  readonly data:
    | {
        readonly aad: Uint8Array | undefined;
        /** Server-computed; only their schema matters on insertion. */
        readonly payloadHash: CoseHash | undefined;
        readonly envelopeHash: CoseHash | undefined;
      }
    | undefined;
}

// Base64 inflates by 4/3; refuse longer text before decoding it at all.
const MAX_MESSAGE_BASE64 = Math.ceil(MAX_MESSAGE_BYTES / 3) * 4 + 4;

function decodeHash(raw: Record<string, unknown> | undefined): CoseHash | undefined {
  return raw === undefined ? undefined : { algorithm: stringMember(raw, 'algorithm'), value: stringMember(raw, 'value') };
}

/** Go's required check only sees a missing member: `""` is present, and fails later as a key. */
function decodePublicKey(text: string | undefined): Uint8Array | undefined {
  if (text === undefined) return undefined;
  return decodeBase64Field(text, 'publicKey') ?? new Uint8Array();
}

/** DecodeEntry: the spec must be a JSON object; see the file comment for the leniency. */
export function decodeCoseSpec(spec: unknown): CoseSpec {
  if (!isJsonObject(spec)) throw invalidEntry(`unsupported input type ${goTypeName(spec)} for DecodeEntry`);
  const messageText = stringMember(spec, 'message');
  if (messageText !== undefined && messageText.length > MAX_MESSAGE_BASE64) {
    throw invalidEntry(`COSE message too large, at most ${MAX_MESSAGE_BYTES} bytes`);
  }
  const data = objectMember(spec, 'data');
  return {
    message: decodeBase64Field(messageText, 'message'),
    publicKey: decodePublicKey(stringMember(spec, 'publicKey')),
    data:
      data === undefined
        ? undefined
        : {
            aad: decodeBase64Field(stringMember(data, 'aad'), 'aad'),
            payloadHash: decodeHash(objectMember(data, 'payloadHash')),
            envelopeHash: decodeHash(objectMember(data, 'envelopeHash')),
          },
  };
}

function validateHash(name: string, hash: CoseHash | undefined, errors: string[]): void {
  if (hash === undefined) return;
  const path = `data.${name}.data.${name}`;
  if (hash.algorithm === undefined) errors.push(`${path}.algorithm in body is required`);
  else if (hash.algorithm !== 'sha256') errors.push(`${path}.algorithm in body should be one of [sha256]`);
  if (hash.value === undefined) errors.push(`${path}.value in body is required`);
}

/** The generated model's Validate(): publicKey is the only required member. */
export function validateCoseSpec(spec: CoseSpec): void {
  const errors: string[] = [];
  // go-swagger validates properties in name order: data (aad, envelopeHash, payloadHash), …, publicKey.
  validateHash('envelopeHash', spec.data?.envelopeHash, errors);
  validateHash('payloadHash', spec.data?.payloadHash, errors);
  if (spec.publicKey === undefined) errors.push('publicKey in body is required');
  if (errors.length > 0) throw validationFailure(errors);
}
