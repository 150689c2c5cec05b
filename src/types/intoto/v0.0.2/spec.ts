/**
 * Reading a proposed intoto v0.0.2 spec as Rekor does (pkg/types/intoto/v0.0.2 Unmarshal:
 * DecodeEntry, then the go-swagger model's Validate from intoto_v0_0_2_schema.json). The
 * `format: byte` fields (payload, sig, publicKey) are decoded once here with Go's base64 rules;
 * what remains of payload and sig is itself base64 text, the "double base64" of this version.
 * Members of the wrong JSON type count as absent; empty byte strings count as absent.
 * Throws RekorError('invalid_entry'); more than MAX_SIGNATURES signatures are refused.
 */
import { decodeBase64Field, goTypeName, invalidEntry, isJsonObject, objectMember, stringMember, validationFailure } from '../../go-decode.js';
import { goString, MAX_SIGNATURES } from '../dsse.js';
import { decodeHashSpec, hashSpecError, type HashSpec } from '../hash-spec.js';

export interface IntotoV002Signature {
  readonly keyid: string | undefined;
  /** The DSSE signature's base64 text (one layer of base64 removed). */
  readonly sig: Uint8Array | undefined;
  readonly publicKey: Uint8Array | undefined;
}

export interface IntotoV002Envelope {
  readonly payloadType: string | undefined;
  /** The DSSE payload's base64 text (one layer removed); empty when absent. */
  readonly payload: Uint8Array;
  readonly signatures: readonly IntotoV002Signature[] | undefined;
}

export interface IntotoV002Spec {
  readonly content:
    | { readonly envelope: IntotoV002Envelope | undefined; readonly hash: HashSpec | undefined; readonly payloadHash: HashSpec | undefined }
    | undefined;
}

function decodeSignature(raw: unknown, index: number): IntotoV002Signature {
  if (!isJsonObject(raw)) return { keyid: undefined, sig: undefined, publicKey: undefined };
  const keyid = stringMember(raw, 'keyid');
  return {
    keyid: keyid === undefined ? undefined : goString(keyid),
    sig: decodeBase64Field(stringMember(raw, 'sig'), `signature ${index} sig`),
    publicKey: decodeBase64Field(stringMember(raw, 'publicKey'), `signature ${index} publicKey`),
  };
}

function decodeEnvelope(raw: Record<string, unknown> | undefined): IntotoV002Envelope | undefined {
  if (raw === undefined) return undefined;
  const signatures = Object.hasOwn(raw, 'signatures') ? raw['signatures'] : undefined;
  if (Array.isArray(signatures) && signatures.length > MAX_SIGNATURES) {
    throw invalidEntry(`too many signatures: ${signatures.length}, want at most ${MAX_SIGNATURES}`);
  }
  const payloadType = stringMember(raw, 'payloadType');
  return {
    payloadType: payloadType === undefined ? undefined : goString(payloadType),
    payload: decodeBase64Field(stringMember(raw, 'payload'), 'payload') ?? new Uint8Array(),
    signatures: Array.isArray(signatures) ? Array.from(signatures as unknown[], decodeSignature) : undefined,
  };
}

/** DecodeEntry: the spec must be a JSON object; see the file comment for the leniency. */
export function decodeIntotoV002Spec(spec: unknown): IntotoV002Spec {
  if (!isJsonObject(spec)) throw invalidEntry(`unsupported input type ${goTypeName(spec)} for DecodeEntry`);
  const content = objectMember(spec, 'content');
  if (content === undefined) return { content: undefined };
  return {
    content: {
      envelope: decodeEnvelope(objectMember(content, 'envelope')),
      hash: decodeHashSpec(content, 'hash'),
      payloadHash: decodeHashSpec(content, 'payloadHash'),
    },
  };
}

function envelopeError(envelope: IntotoV002Envelope | undefined): string | undefined {
  if (envelope === undefined) return 'content.content.envelope in body is required';
  const path = 'content.content.envelope.content.envelope';
  if (envelope.payloadType === undefined) return `${path}.payloadType in body is required`;
  if (envelope.signatures === undefined) return `${path}.signatures in body is required`;
  if (envelope.signatures.length < 1) return `${path}.signatures in body should have at least 1 items`;
  for (const [i, signature] of envelope.signatures.entries()) {
    if (signature.sig === undefined) return `${path}.signatures.${i}.sig in body is required`;
    if (signature.publicKey === undefined) return `${path}.signatures.${i}.publicKey in body is required`;
  }
  return undefined;
}

/** The generated model's Validate(); only the first nested error survives go-swagger's renaming. */
export function validateIntotoV002Spec(spec: IntotoV002Spec): void {
  if (spec.content === undefined) throw validationFailure(['content in body is required']);
  const { envelope, hash, payloadHash } = spec.content;
  const first = envelopeError(envelope) ?? hashSpecError('hash', hash) ?? hashSpecError('payloadHash', payloadHash);
  if (first !== undefined) throw validationFailure([first]);
}
