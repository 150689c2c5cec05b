/**
 * Reading a proposed tuf v0.0.1 spec as Rekor does (pkg/types/tuf/v0.0.1 DecodeEntry, the
 * go-swagger model's Validate from tuf_v0_0_1_schema.json, V001Entry.Validate, Insertable):
 * `metadata` and `root` are read only when they are objects, their `content` may be any JSON
 * value but null. A string content is base64 (Go's StdEncoding) of the JSON envelope; any other
 * value is the envelope itself. Throws RekorError('invalid_entry').
 */
import { goTypeName, invalidEntry, isJsonObject, objectMember, validationFailure } from '../../go-decode.js';
import { decodeStdBase64, Base64Error } from '../../../pki/base64.js';
import { parseJsonBytes } from '../../../pki/tuf/index.js';

export interface TufSpec {
  /** Absent member: undefined; present member: its content (undefined when absent or null). */
  readonly metadata: { readonly content: unknown } | undefined;
  readonly root: { readonly content: unknown } | undefined;
}

function content(raw: Record<string, unknown> | undefined): TufSpec['metadata'] {
  if (raw === undefined) return undefined;
  const value = Object.hasOwn(raw, 'content') ? raw['content'] : undefined;
  return { content: value === null ? undefined : value };
}

export function decodeTufSpec(spec: unknown): TufSpec {
  if (!isJsonObject(spec)) throw invalidEntry(`unsupported input type ${goTypeName(spec)} for DecodeEntry`);
  return { metadata: content(objectMember(spec, 'metadata')), root: content(objectMember(spec, 'root')) };
}

/** The generated model's Validate(): metadata first, then root. */
export function validateTufSpec(spec: TufSpec): void {
  const errors: string[] = [];
  if (spec.metadata === undefined) errors.push('metadata in body is required');
  else if (spec.metadata.content === undefined) errors.push('metadata.metadata.content in body is required');
  if (spec.root === undefined) errors.push('root in body is required');
  else if (spec.root.content === undefined) errors.push('root.root.content in body is required');
  if (errors.length > 0) throw validationFailure(errors);
}

/**
 * parseMetadataContent / parseRootContent: a string is base64 of the JSON envelope, anything
 * else is the envelope (Go re-marshals it, which changes nothing the later steps see).
 */
export function envelopeOf(value: unknown, what: 'metadata' | 'root'): unknown {
  if (typeof value !== 'string') return value;
  let bytes: Uint8Array;
  try {
    bytes = decodeStdBase64(value);
  } catch (err) {
    if (err instanceof Base64Error) throw invalidEntry(`base64 decoding TUF ${what} content: ${err.message}`);
    throw err;
  }
  return parseJsonBytes(bytes);
}
