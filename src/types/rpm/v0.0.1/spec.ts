/**
 * Reading a proposed rpm v0.0.1 spec as Rekor does (pkg/types/rpm/v0.0.1 DecodeEntry, the
 * go-swagger model's Validate from rpm_v0_0_1_schema.json, then V001Entry.validate and
 * Insertable). Members of the wrong JSON type are read as absent, base64 is Go's StdEncoding and
 * empty strings count as absent; `package.headers` is read-only and ignored. Schema messages
 * carry go-openapi's doubled prefixes, and only the first of the hash's errors survives its
 * renaming (as for rekord). `url` members (removed from Rekor in v0.7.0) are refused outright:
 * this server never fetches anything. Throws RekorError('invalid_entry').
 */
import { decodeBase64Field, goTypeName, invalidEntry, isJsonObject, objectMember, stringMember, validationFailure, refuseUrl, sha256HashErrors } from '../../go-decode.js';

export interface RpmSpec {
  readonly publicKey: { readonly content: Uint8Array | undefined } | undefined;
  readonly package:
    | { readonly hash: { readonly algorithm: string | undefined; readonly value: string | undefined } | undefined; readonly content: Uint8Array | undefined }
    | undefined;
}

/** The fields an insertable entry carries, after validation. */
export interface InsertableRpm {
  readonly publicKey: Uint8Array;
  readonly rpm: Uint8Array;
  /** The submitted `package.hash`, if any. */
  readonly hash: { readonly algorithm: string; readonly value: string } | undefined;
}

/** DecodeEntry: publicKey first, then package (its hash, then its content). */
export function decodeRpmSpec(spec: unknown): RpmSpec {
  if (!isJsonObject(spec)) throw invalidEntry(`unsupported input type ${goTypeName(spec)} for DecodeEntry`);
  const keyRaw = objectMember(spec, 'publicKey');
  if (keyRaw !== undefined) refuseUrl(keyRaw, 'publicKey');
  const publicKey = keyRaw === undefined ? undefined : { content: decodeBase64Field(stringMember(keyRaw, 'content'), 'publicKey content') };
  const pkgRaw = objectMember(spec, 'package');
  if (pkgRaw === undefined) return { publicKey, package: undefined };
  refuseUrl(pkgRaw, 'package');
  const hash = objectMember(pkgRaw, 'hash');
  return {
    publicKey,
    package: {
      hash: hash === undefined ? undefined : { algorithm: stringMember(hash, 'algorithm'), value: stringMember(hash, 'value') },
      content: decodeBase64Field(stringMember(pkgRaw, 'content'), 'package content'),
    },
  };
}

/** The generated model's Validate(): `required` and the enum, package before publicKey. */
export function validateRpmSpec(spec: RpmSpec): void {
  const errors: string[] = [];
  if (spec.package === undefined) errors.push('package in body is required');
  else errors.push(...sha256HashErrors(spec.package.hash, 'package'));
  if (spec.publicKey === undefined) errors.push('publicKey in body is required');
  else if (spec.publicKey.content === undefined) errors.push('publicKey.publicKey.content in body is required');
  if (errors.length > 0) throw validationFailure(errors);
}

// V001Entry.validate: 64 characters that hex-decode; the case is compared later, as a string.
const SHA256_HEX = /^[0-9a-fA-F]{64}$/u;

/** V001Entry.validate() and Insertable(): after these every required field is present. */
export function requireInsertable(spec: RpmSpec): InsertableRpm {
  const { publicKey, package: pkg } = spec;
  // validateRpmSpec has run; the checks keep tsc honest.
  if (publicKey === undefined) throw invalidEntry('missing public key');
  if (publicKey.content === undefined || publicKey.content.length === 0) throw invalidEntry("'content' must be specified for publicKey");
  if (pkg === undefined) throw invalidEntry('missing package');
  const { hash } = pkg;
  if (hash !== undefined && (hash.value === undefined || !SHA256_HEX.test(hash.value))) throw invalidEntry('invalid value for hash');
  if (pkg.content === undefined || pkg.content.length === 0) {
    throw invalidEntry(hash === undefined ? "'content' must be specified for package" : 'entry not insertable into log: missing package content');
  }
  return {
    publicKey: publicKey.content,
    rpm: pkg.content,
    hash: hash === undefined ? undefined : { algorithm: hash.algorithm ?? 'sha256', value: hash.value ?? '' },
  };
}
