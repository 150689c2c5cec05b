/**
 * Reading a proposed intoto v0.0.1 spec as Rekor does (pkg/types/intoto/v0.0.1 Unmarshal:
 * DecodeEntry, then the go-swagger model's Validate from intoto_v0_0_1_schema.json). As for
 * hashedrekord, members of the wrong JSON type are ignored (so they surface as "required"),
 * `publicKey` is decoded with Go's base64 rules, and client-sent digests are schema-checked even
 * though the server recomputes them. Throws RekorError('invalid_entry').
 */
import { goTypeName, invalidEntry, isJsonObject, objectMember, stringMember, validationFailure } from '../../go-decode.js';
import { decodeStdBase64 } from '../../../pki/base64.js';
import { base64Failure } from '../dsse.js';
import { decodeHashSpec, hashSpecError, type HashSpec } from '../hash-spec.js';

export interface IntotoV001Spec {
  /** Present (possibly empty) when the spec has a `publicKey` string. */
  readonly publicKey: Uint8Array | undefined;
  readonly content:
    | {
        /** The DSSE envelope as the client sent it; '' when absent. */
        readonly envelope: string;
        readonly hash: HashSpec | undefined;
        readonly payloadHash: HashSpec | undefined;
      }
    | undefined;
}

function decodePublicKey(spec: Record<string, unknown>): Uint8Array | undefined {
  const text = stringMember(spec, 'publicKey');
  if (text === undefined) return undefined;
  try {
    return decodeStdBase64(text);
  } catch (err) {
    throw base64Failure(err, 'failed parsing base64 data for publicKey: ');
  }
}

/** DecodeEntry: the spec must be a JSON object; see the file comment for the leniency. */
export function decodeIntotoV001Spec(spec: unknown): IntotoV001Spec {
  if (!isJsonObject(spec)) throw invalidEntry(`unsupported input type ${goTypeName(spec)} for DecodeEntry`);
  const content = objectMember(spec, 'content');
  return {
    publicKey: decodePublicKey(spec),
    content:
      content === undefined
        ? undefined
        : {
            envelope: stringMember(content, 'envelope') ?? '',
            hash: decodeHashSpec(content, 'hash'),
            payloadHash: decodeHashSpec(content, 'payloadHash'),
          },
  };
}

/** The generated model's Validate(): properties in name order, as go-swagger emits them. */
export function validateIntotoV001Spec(spec: IntotoV001Spec): void {
  const errors: string[] = [];
  if (spec.content === undefined) errors.push('content in body is required');
  else {
    const first = hashSpecError('hash', spec.content.hash) ?? hashSpecError('payloadHash', spec.content.payloadHash);
    if (first !== undefined) errors.push(first);
  }
  if (spec.publicKey === undefined) errors.push('publicKey in body is required');
  if (errors.length > 0) throw validationFailure(errors);
}
