/**
 * Reading a proposed rfc3161 v0.0.1 spec as Rekor does (pkg/types/rfc3161/v0.0.1 DecodeEntry,
 * then the go-swagger model's Validate from rfc3161_v0_0_1_schema.json): `tsr.content` is Go
 * StdEncoding base64; a member of the wrong JSON type, or an empty string, reads as absent.
 * Throws RekorError('invalid_entry').
 */
import { decodeBase64Field, goTypeName, invalidEntry, isJsonObject, objectMember, stringMember, validationFailure } from '../../go-decode.js';

export interface Rfc3161Spec {
  readonly tsr: { readonly content: Uint8Array | undefined } | undefined;
}

export function decodeRfc3161Spec(spec: unknown): Rfc3161Spec {
  if (!isJsonObject(spec)) throw invalidEntry(`unsupported input type ${goTypeName(spec)} for DecodeEntry`);
  const tsr = objectMember(spec, 'tsr');
  return { tsr: tsr === undefined ? undefined : { content: decodeBase64Field(stringMember(tsr, 'content'), 'tsr content') } };
}

/** The generated model's Validate(): both members are required (go-openapi doubles the prefix). */
export function validateRfc3161Spec(spec: Rfc3161Spec): Uint8Array {
  if (spec.tsr === undefined) throw validationFailure(['tsr in body is required']);
  if (spec.tsr.content === undefined) throw validationFailure(['tsr.tsr.content in body is required']);
  return spec.tsr.content;
}
