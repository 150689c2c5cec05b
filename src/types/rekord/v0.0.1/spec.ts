/**
 * Reading a proposed rekord v0.0.1 spec as Rekor does (pkg/types/rekord/v0.0.1 DecodeEntry, the
 * go-swagger model's Validate from rekord_v0_0_1_schema.json, then V001Entry.validate and
 * Insertable). As for the other kinds, members of the wrong JSON type are read as absent, base64
 * is Go's StdEncoding and empty strings count as absent. Schema messages carry go-openapi's doubled
 * prefix (`signature.signature.format`). `url` members (removed from Rekor in v0.7.0) are refused
 * outright: this server never fetches anything. Throws RekorError('invalid_entry').
 */
import { decodeBase64Field, goTypeName, invalidEntry, isJsonObject, objectMember, stringMember, validationFailure, refuseUrl, sha256HashErrors } from '../../go-decode.js';

export const SIGNATURE_FORMATS = ['pgp', 'minisign', 'x509', 'ssh'] as const;
export type SignatureFormat = (typeof SIGNATURE_FORMATS)[number];

export interface RekordSpec {
  readonly signature:
    | { readonly format: string | undefined; readonly content: Uint8Array | undefined; readonly publicKey: { readonly content: Uint8Array | undefined } | undefined }
    | undefined;
  readonly data:
    | { readonly hash: { readonly algorithm: string | undefined; readonly value: string | undefined } | undefined; readonly content: Uint8Array | undefined }
    | undefined;
}

/** The fields an insertable entry must carry, after validation. */
export interface InsertableRekord {
  readonly format: SignatureFormat;
  readonly signature: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly artifact: Uint8Array;
  /** The submitted `data.hash.value`, if any. */
  readonly hash: string | undefined;
}

function decodeSignature(raw: Record<string, unknown> | undefined): RekordSpec['signature'] {
  if (raw === undefined) return undefined;
  refuseUrl(raw, 'signature');
  const keyRaw = objectMember(raw, 'publicKey');
  refuseUrl(keyRaw, 'signature.publicKey');
  return {
    format: stringMember(raw, 'format'),
    content: decodeBase64Field(stringMember(raw, 'content'), 'signature content'),
    publicKey: keyRaw === undefined ? undefined : { content: decodeBase64Field(stringMember(keyRaw, 'content'), 'public key content') },
  };
}

function decodeData(raw: Record<string, unknown> | undefined): RekordSpec['data'] {
  if (raw === undefined) return undefined;
  refuseUrl(raw, 'data');
  const hash = objectMember(raw, 'hash');
  return {
    hash: hash === undefined ? undefined : { algorithm: stringMember(hash, 'algorithm'), value: stringMember(hash, 'value') },
    content: decodeBase64Field(stringMember(raw, 'content'), 'data content'),
  };
}

/** DecodeEntry: the spec must be a JSON object; see the file comment for the leniency. */
export function decodeRekordSpec(spec: unknown): RekordSpec {
  if (!isJsonObject(spec)) throw invalidEntry(`unsupported input type ${goTypeName(spec)} for DecodeEntry`);
  return { signature: decodeSignature(objectMember(spec, 'signature')), data: decodeData(objectMember(spec, 'data')) };
}

function signatureErrors(signature: NonNullable<RekordSpec['signature']>): string[] {
  const path = 'signature.signature';
  const errors: string[] = [];
  if (signature.format === undefined) errors.push(`${path}.format in body is required`);
  else if (!(SIGNATURE_FORMATS as readonly string[]).includes(signature.format)) {
    errors.push(`${path}.format in body should be one of [${SIGNATURE_FORMATS.join(' ')}]`);
  }
  if (signature.content === undefined) errors.push(`${path}.content in body is required`);
  if (signature.publicKey === undefined) errors.push(`${path}.publicKey in body is required`);
  else if (signature.publicKey.content === undefined) errors.push(`${path}.publicKey.signature.publicKey.content in body is required`);
  return errors;
}

/** The generated model's Validate(): `required` and the enums. */
export function validateRekordSpec(spec: RekordSpec): void {
  const errors: string[] = [];
  if (spec.signature === undefined) errors.push('signature in body is required');
  else errors.push(...signatureErrors(spec.signature));
  if (spec.data === undefined) errors.push('data in body is required');
  else errors.push(...sha256HashErrors(spec.data.hash, 'data'));
  if (errors.length > 0) throw validationFailure(errors);
}

// govalidator.IsHash(value, "sha256"): 64 hex digits of either case; the case is checked later.
const SHA256_HEX = /^[0-9a-fA-F]{64}$/u;

/** V001Entry.validate() and Insertable(): after these every required field is present. */
export function requireInsertable(spec: RekordSpec): InsertableRekord {
  const { signature, data } = spec;
  // validateRekordSpec has run, so signature, its key and data exist; the checks keep tsc honest.
  if (signature?.publicKey === undefined || data === undefined) throw invalidEntry('missing signature');
  const hash = data.hash?.value;
  if (hash !== undefined && !SHA256_HEX.test(hash)) throw invalidEntry('invalid value for hash');
  if (data.content === undefined) {
    throw invalidEntry(hash === undefined ? "'content' must be specified for data" : 'entry not insertable into log: missing data content');
  }
  return {
    format: signature.format as SignatureFormat,
    signature: signature.content ?? new Uint8Array(),
    publicKey: signature.publicKey.content ?? new Uint8Array(),
    artifact: data.content,
    hash,
  };
}
