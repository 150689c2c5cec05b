/**
 * The DSSE envelope of an intoto v0.0.1 entry, a JSON string, read as Go's encoding/json fills
 * go-securesystemslib's dsse.Envelope: absent or null members are empty, a member of the wrong
 * JSON type is an error, unknown members are ignored. Throws RekorError('invalid_entry').
 */
import { invalidEntry, isJsonObject } from '../../go-decode.js';
import { goString, MAX_SIGNATURES } from '../dsse.js';

export interface DsseEnvelope {
  readonly payloadType: string;
  /** The payload's base64 text, as in the envelope. */
  readonly payload: string;
  readonly signatures: readonly { readonly keyid: string; readonly sig: string }[];
}

/** The JSON type names Go uses in `cannot unmarshal <type> into …`. */
function jsonTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'number' ? 'number' : typeof value === 'string' ? 'string' : 'object';
}

function stringField(object: Record<string, unknown>, name: string, where: string): string {
  const value = Object.hasOwn(object, name) ? object[name] : null;
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') {
    throw invalidEntry(`json: cannot unmarshal ${jsonTypeName(value)} into Go struct field ${where}.${name} of type string`);
  }
  return goString(value);
}

function signaturesField(envelope: Record<string, unknown>): DsseEnvelope['signatures'] {
  const value = Object.hasOwn(envelope, 'signatures') ? envelope['signatures'] : null;
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) {
    throw invalidEntry(`json: cannot unmarshal ${jsonTypeName(value)} into Go struct field Envelope.signatures of type []dsse.Signature`);
  }
  if (value.length > MAX_SIGNATURES) throw invalidEntry(`too many signatures: ${value.length}, want at most ${MAX_SIGNATURES}`);
  return Array.from(value as unknown[], (item) => {
    if (item === null || item === undefined) return { keyid: '', sig: '' };
    if (!isJsonObject(item)) {
      throw invalidEntry(`json: cannot unmarshal ${jsonTypeName(item)} into Go struct field Envelope.signatures of type dsse.Signature`);
    }
    return { keyid: stringField(item, 'keyid', 'Signature'), sig: stringField(item, 'sig', 'Signature') };
  });
}

export function parseDsseEnvelope(text: string): DsseEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidEntry('invalid character in dsse envelope: not valid json');
  }
  if (parsed === null) return { payloadType: '', payload: '', signatures: [] };
  if (!isJsonObject(parsed)) throw invalidEntry(`json: cannot unmarshal ${jsonTypeName(parsed)} into Go value of type dsse.Envelope`);
  return {
    payloadType: stringField(parsed, 'payloadType', 'Envelope'),
    payload: stringField(parsed, 'payload', 'Envelope'),
    signatures: signaturesField(parsed),
  };
}
