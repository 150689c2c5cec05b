/**
 * Reading a proposed jar v0.0.1 spec as Rekor does (pkg/types/jar/v0.0.1 DecodeEntry, the
 * go-swagger model's Validate from jar_v0_0_1_schema.json, then V001Entry.validate and
 * Insertable). Members of the wrong JSON type are read as absent, base64 is Go's StdEncoding,
 * empty strings count as absent; schema messages carry go-openapi's doubled prefixes. The
 * read-only `signature` a client may send is validated as Rekor does, then ignored: the server
 * takes signature and certificate from the JAR. `archive.url` (never fetched by this server) is
 * refused outright. Throws RekorError('invalid_entry').
 */
import { decodeBase64Field, goTypeName, invalidEntry, isJsonObject, objectMember, stringMember, validationFailure, refuseUrl, sha256HashErrors } from '../../go-decode.js';

export interface JarSpec {
  readonly signature:
    | { readonly content: Uint8Array | undefined; readonly publicKey: { readonly content: Uint8Array | undefined } | undefined }
    | undefined;
  readonly archive:
    | { readonly hash: { readonly algorithm: string | undefined; readonly value: string | undefined } | undefined; readonly content: Uint8Array | undefined }
    | undefined;
}

/** What canonicalization needs, after validation. */
export interface InsertableJar {
  readonly archive: Uint8Array;
  /** The submitted `archive.hash.value`, if any. */
  readonly hash: string | undefined;
}

function decodeSignature(raw: Record<string, unknown> | undefined): JarSpec['signature'] {
  if (raw === undefined) return undefined;
  const keyRaw = objectMember(raw, 'publicKey');
  return {
    content: decodeBase64Field(stringMember(raw, 'content'), 'signature content'),
    publicKey: keyRaw === undefined ? undefined : { content: decodeBase64Field(stringMember(keyRaw, 'content'), 'signature publicKey content') },
  };
}

function decodeArchive(raw: Record<string, unknown> | undefined): JarSpec['archive'] {
  if (raw === undefined) return undefined;
  refuseUrl(raw, 'archive');
  const hash = objectMember(raw, 'hash');
  return {
    hash: hash === undefined ? undefined : { algorithm: stringMember(hash, 'algorithm'), value: stringMember(hash, 'value') },
    content: decodeBase64Field(stringMember(raw, 'content'), 'archive content'),
  };
}

/** DecodeEntry: the spec must be a JSON object. */
export function decodeJarSpec(spec: unknown): JarSpec {
  if (!isJsonObject(spec)) throw invalidEntry(`unsupported input type ${goTypeName(spec)} for DecodeEntry`);
  return { signature: decodeSignature(objectMember(spec, 'signature')), archive: decodeArchive(objectMember(spec, 'archive')) };
}

function signatureErrors(signature: NonNullable<JarSpec['signature']>): string[] {
  const path = 'signature.signature';
  const errors: string[] = [];
  if (signature.content === undefined) errors.push(`${path}.content in body is required`);
  if (signature.publicKey === undefined) errors.push(`${path}.publicKey in body is required`);
  else if (signature.publicKey.content === undefined) errors.push(`${path}.publicKey.signature.publicKey.content in body is required`);
  return errors;
}

/** The generated model's Validate(): `required` and the enum (archive first, then signature). */
export function validateJarSpec(spec: JarSpec): void {
  const errors: string[] = [];
  if (spec.archive === undefined) errors.push('archive in body is required');
  else errors.push(...sha256HashErrors(spec.archive.hash, 'archive'));
  if (spec.signature !== undefined) errors.push(...signatureErrors(spec.signature));
  if (errors.length > 0) throw validationFailure(errors);
}

const HEX64 = /^[0-9a-fA-F]{64}$/u;

/** V001Entry.validate() and Insertable(). */
export function requireInsertable(spec: JarSpec): InsertableJar {
  const { archive, signature } = spec;
  if (archive === undefined) throw invalidEntry('missing package');
  if (signature?.content === undefined && archive.content === undefined) throw invalidEntry("'content' must be specified for package");
  const hash = archive.hash?.value;
  if (archive.hash !== undefined && (hash === undefined || !HEX64.test(hash))) throw invalidEntry('invalid value for hash');
  if (archive.content === undefined) throw invalidEntry('entry not insertable into log: missing archive content');
  return { archive: archive.content, hash };
}
