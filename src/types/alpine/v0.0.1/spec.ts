/**
 * Reading a proposed alpine v0.0.1 spec as Rekor does (pkg/types/alpine/v0.0.1 DecodeEntry, the
 * go-swagger model's Validate from alpine_v0_0_1_schema.json, then V001Entry.validate and
 * Insertable). Members of the wrong JSON type are read as absent, base64 is Go's StdEncoding and
 * empty strings count as absent; the read-only `package.pkginfo` is ignored (the server derives
 * it). `url` members (removed from Rekor's schema) are refused outright: this server never fetches
 * anything. Throws RekorError('invalid_entry').
 */
import { decodeBase64Field, goTypeName, invalidEntry, isJsonObject, objectMember, stringMember, validationFailure, refuseUrl, sha256HashErrors } from '../../go-decode.js';

export interface AlpineSpec {
  readonly publicKey: { readonly content: Uint8Array } | undefined;
  readonly package:
    | { readonly hash: { readonly algorithm: string | undefined; readonly value: string | undefined } | undefined; readonly content: Uint8Array | undefined }
    | undefined;
}

/** The fields an insertable entry carries, after validation. */
export interface InsertableAlpine {
  readonly publicKey: Uint8Array;
  readonly apk: Uint8Array;
  /** The submitted `package.hash.value`, if any. */
  readonly hash: string | undefined;
}

function decodePublicKey(raw: Record<string, unknown> | undefined): AlpineSpec['publicKey'] {
  refuseUrl(raw, 'publicKey');
  if (raw === undefined) return undefined;
  // Rekor creates the key object only for a non-empty content string.
  const content = decodeBase64Field(stringMember(raw, 'content'), 'public key content');
  return content === undefined ? undefined : { content };
}

function decodePackage(raw: Record<string, unknown> | undefined): AlpineSpec['package'] {
  refuseUrl(raw, 'package');
  if (raw === undefined) return undefined;
  const hashRaw = objectMember(raw, 'hash');
  const algorithm = hashRaw === undefined ? undefined : stringMember(hashRaw, 'algorithm');
  const value = hashRaw === undefined ? undefined : stringMember(hashRaw, 'value');
  const hash = algorithm === undefined && value === undefined ? undefined : { algorithm, value };
  return { hash, content: decodeBase64Field(stringMember(raw, 'content'), 'package content') };
}

/** DecodeEntry: the spec must be a JSON object; see the file comment for the leniency. */
export function decodeAlpineSpec(spec: unknown): AlpineSpec {
  if (!isJsonObject(spec)) throw invalidEntry(`unsupported input type ${goTypeName(spec)} for DecodeEntry`);
  return { publicKey: decodePublicKey(objectMember(spec, 'publicKey')), package: decodePackage(objectMember(spec, 'package')) };
}

/** The generated model's Validate(): `required` and the enum. */
export function validateAlpineSpec(spec: AlpineSpec): void {
  const errors: string[] = [];
  if (spec.publicKey === undefined) errors.push('publicKey in body is required');
  if (spec.package === undefined) errors.push('package in body is required');
  else errors.push(...sha256HashErrors(spec.package.hash, 'package'));
  if (errors.length > 0) throw validationFailure(errors);
}

// 64 hex digits of either case (Rekor: length 64 and hex.DecodeString); the case matters later.
const SHA256_HEX = /^[0-9a-fA-F]{64}$/u;

/** V001Entry.validate() and Insertable(): after these every required field is present. */
export function requireInsertable(spec: AlpineSpec): InsertableAlpine {
  const { publicKey, package: pkg } = spec;
  // validateAlpineSpec has run; these keep tsc honest.
  if (publicKey === undefined) throw invalidEntry('missing public key');
  if (pkg === undefined) throw invalidEntry('missing package');
  const hash = pkg.hash?.value;
  if (pkg.hash !== undefined && (hash === undefined || !SHA256_HEX.test(hash))) throw invalidEntry('invalid value for hash');
  if (pkg.content === undefined) {
    throw invalidEntry(pkg.hash === undefined ? "'content' must be specified for package" : 'entry not insertable into log: missing package content');
  }
  return { publicKey: publicKey.content, apk: pkg.content, hash };
}
