/**
 * Reading a proposed dsse v0.0.1 spec as Rekor does (pkg/types/dsse/v0.0.1 Unmarshal: DecodeEntry,
 * then the go-swagger model's Validate from dsse_v0_0_1_schema.json, then the
 * proposedContent-or-canonical-fields rule). As elsewhere in this project, members of the wrong
 * JSON type are read as absent, so they surface as "required". Schema messages carry go-openapi's
 * doubled prefix (`proposedContent.proposedContent.envelope`): the generated code renames a nested
 * error at every level it passes through. Throws RekorError('invalid_entry').
 */
import { decodeBase64Field, goTypeName, invalidEntry, isJsonObject, objectMember, stringMember, validationFailure } from '../../go-decode.js';

export interface DsseHash {
  readonly algorithm: string | undefined;
  readonly value: string | undefined;
}

export interface DsseSpec {
  readonly proposedContent: { readonly envelope: string | undefined; readonly verifiers: readonly Uint8Array[] | undefined } | undefined;
  /** The server-computed fields; only their presence and schema matter on insertion. */
  readonly signatures: ReadonlyArray<{ readonly signature: string | undefined; readonly verifier: string | undefined } | undefined> | undefined;
  readonly envelopeHash: DsseHash | undefined;
  readonly payloadHash: DsseHash | undefined;
}

/** Bounds on hostile input, far above what any DSSE client sends (Rekor v2 allowed 10 verifiers). */
export const MAX_VERIFIERS = 16;

// The schema's pattern for a canonical signature: padded standard base64.
const SIGNATURE_PATTERN = '^(?:[A-Za-z0-9+\\/]{4})*(?:[A-Za-z0-9+\\/]{2}==|[A-Za-z0-9+\\/]{3}=|[A-Za-z0-9+\\/]{4})$';
const SIGNATURE_RE = new RegExp(SIGNATURE_PATTERN, 'u');

function arrayMember(object: Record<string, unknown>, name: string): unknown[] | undefined {
  const value = Object.hasOwn(object, name) ? object[name] : undefined;
  return Array.isArray(value) ? value : undefined;
}

function decodeProposedContent(raw: Record<string, unknown> | undefined): DsseSpec['proposedContent'] {
  if (raw === undefined) return undefined;
  const list = arrayMember(raw, 'verifiers');
  if (list !== undefined && list.length > MAX_VERIFIERS) throw invalidEntry(`too many verifiers: ${list.length}, at most ${MAX_VERIFIERS}`);
  const verifiers = list?.map((v) => decodeBase64Field(typeof v === 'string' ? v : undefined, 'verifier') ?? new Uint8Array());
  return { envelope: stringMember(raw, 'envelope'), verifiers };
}

function decodeHash(raw: Record<string, unknown> | undefined): DsseHash | undefined {
  return raw === undefined ? undefined : { algorithm: stringMember(raw, 'algorithm'), value: stringMember(raw, 'value') };
}

function decodeSignatures(raw: Record<string, unknown>): DsseSpec['signatures'] {
  const list = arrayMember(raw, 'signatures');
  if (list === undefined) return undefined;
  // Only presence matters for these; a bound keeps hostile lists from costing validation time.
  if (list.length > MAX_VERIFIERS) throw invalidEntry(`too many signatures: ${list.length}, at most ${MAX_VERIFIERS}`);
  return list.map((item) => (isJsonObject(item) ? { signature: stringMember(item, 'signature'), verifier: stringMember(item, 'verifier') } : undefined));
}

/** DecodeEntry: the spec must be a JSON object; see the file comment for the leniency. */
export function decodeDsseSpec(spec: unknown): DsseSpec {
  if (!isJsonObject(spec)) throw invalidEntry(`unsupported input type ${goTypeName(spec)} for DecodeEntry`);
  return {
    proposedContent: decodeProposedContent(objectMember(spec, 'proposedContent')),
    signatures: decodeSignatures(spec),
    envelopeHash: decodeHash(objectMember(spec, 'envelopeHash')),
    payloadHash: decodeHash(objectMember(spec, 'payloadHash')),
  };
}

function validateHash(name: string, hash: DsseHash | undefined, errors: string[]): void {
  if (hash === undefined) return;
  const path = `${name}.${name}`;
  if (hash.algorithm === undefined) errors.push(`${path}.algorithm in body is required`);
  else if (hash.algorithm !== 'sha256') errors.push(`${path}.algorithm in body should be one of [sha256]`);
  if (hash.value === undefined) errors.push(`${path}.value in body is required`);
}

function validateSignatures(signatures: DsseSpec['signatures'], errors: string[]): void {
  if (signatures === undefined) return;
  if (signatures.length < 1) errors.push('signatures in body should have at least 1 items');
  signatures.forEach((item, i) => {
    if (item === undefined) return;
    const path = `signatures.${i}`;
    if (item.signature === undefined) errors.push(`${path}.signature in body is required`);
    else if (!SIGNATURE_RE.test(item.signature)) errors.push(`${path}.signature in body should match '${SIGNATURE_PATTERN}'`);
    if (item.verifier === undefined) errors.push(`${path}.verifier in body is required`);
  });
}

/** The generated model's Validate(), in its field order, then Unmarshal's presence rule. */
export function validateDsseSpec(spec: DsseSpec): void {
  const errors: string[] = [];
  validateHash('envelopeHash', spec.envelopeHash, errors);
  validateHash('payloadHash', spec.payloadHash, errors);
  const content = spec.proposedContent;
  if (content !== undefined) {
    const path = 'proposedContent.proposedContent';
    if (content.envelope === undefined) errors.push(`${path}.envelope in body is required`);
    if (content.verifiers === undefined) errors.push(`${path}.verifiers in body is required`);
    else if (content.verifiers.length < 1) errors.push(`${path}.verifiers in body should have at least 1 items`);
  }
  validateSignatures(spec.signatures, errors);
  if (errors.length > 0) throw validationFailure(errors);

  const computed = spec.envelopeHash !== undefined || spec.payloadHash !== undefined || (spec.signatures?.length ?? 0) > 0;
  if (content === undefined) {
    if (spec.envelopeHash === undefined || spec.payloadHash === undefined || (spec.signatures?.length ?? 0) === 0) {
      throw invalidEntry('either proposedContent or envelopeHash, payloadHash, and signatures must be present');
    }
    // Rekor's Unmarshal accepts the canonical form; its Insertable() then refuses it.
    throw invalidEntry('entry not insertable into log: missing proposed content');
  }
  if (computed) throw invalidEntry('either proposedContent or envelopeHash, payloadHash, and signatures must be present but not both');
}
