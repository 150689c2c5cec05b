/**
 * Reading a proposed hashedrekord v0.0.1 spec as Rekor does (pkg/types/hashedrekord/v0.0.1
 * DecodeEntry, then the go-swagger model's Validate from hashedrekord_v0_0_1_schema.json):
 * members of the wrong JSON type are ignored rather than refused (so they surface as "required"),
 * base64 fields are decoded with Go's rules, empty strings count as absent. The field-path text of
 * schema errors is go-swagger's, doubled prefix included (`data.data.hash.data.hash.algorithm`):
 * the generated code renames a nested error at every level it passes through.
 * Throws RekorError('invalid_entry').
 */
import { decodeBase64Field, goTypeName, invalidEntry, isJsonObject, objectMember, stringMember, validationFailure } from '../../go-decode.js';

export interface HashedrekordSpec {
  readonly signature: { readonly content: Uint8Array | undefined; readonly publicKey: { readonly content: Uint8Array | undefined } | undefined } | undefined;
  readonly data: { readonly hash: { readonly algorithm: string | undefined; readonly value: string | undefined } } | undefined;
}

export const HASH_ALGORITHM_ENUM = ['sha256', 'sha384', 'sha512'] as const;

function decodeSignature(raw: Record<string, unknown> | undefined): HashedrekordSpec['signature'] {
  if (raw === undefined) return undefined;
  const content = decodeBase64Field(stringMember(raw, 'content'), 'signature content');
  const keyRaw = objectMember(raw, 'publicKey');
  const publicKey = keyRaw === undefined ? undefined : { content: decodeBase64Field(stringMember(keyRaw, 'content'), 'public key content') };
  return { content, publicKey };
}

function decodeData(raw: Record<string, unknown> | undefined): HashedrekordSpec['data'] {
  // Rekor creates `data` only when `data.hash` is an object.
  const hash = raw === undefined ? undefined : objectMember(raw, 'hash');
  if (hash === undefined) return undefined;
  return { hash: { algorithm: stringMember(hash, 'algorithm'), value: stringMember(hash, 'value') } };
}

/** DecodeEntry: the spec must be a JSON object; see the file comment for the leniency. */
export function decodeHashedrekordSpec(spec: unknown): HashedrekordSpec {
  if (!isJsonObject(spec)) throw invalidEntry(`unsupported input type ${goTypeName(spec)} for DecodeEntry`);
  return { signature: decodeSignature(objectMember(spec, 'signature')), data: decodeData(objectMember(spec, 'data')) };
}

/** The generated model's Validate(): `required` and the algorithm enum. */
export function validateHashedrekordSpec(spec: HashedrekordSpec): void {
  const errors: string[] = [];
  if (spec.data === undefined) {
    errors.push('data in body is required');
  } else {
    // Only the first of the hash's errors survives the generated error renaming.
    const { algorithm, value } = spec.data.hash;
    const path = 'data.data.hash.data.hash';
    if (algorithm === undefined) errors.push(`${path}.algorithm in body is required`);
    else if (!(HASH_ALGORITHM_ENUM as readonly string[]).includes(algorithm)) {
      errors.push(`${path}.algorithm in body should be one of [${HASH_ALGORITHM_ENUM.join(' ')}]`);
    } else if (value === undefined) errors.push(`${path}.value in body is required`);
  }
  if (spec.signature === undefined) errors.push('signature in body is required');
  if (errors.length > 0) throw validationFailure(errors);
}
