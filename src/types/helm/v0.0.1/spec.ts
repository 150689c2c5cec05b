/**
 * Reading a proposed helm v0.0.1 spec as Rekor does (pkg/types/helm/v0.0.1 DecodeEntry, the
 * go-swagger model's Validate from helm_v0_0_1_schema.json, V001Entry.validate, Insertable).
 * Members of the wrong JSON type are read as absent, base64 is Go's StdEncoding and empty strings
 * count as absent. Schema messages carry go-openapi's repeated prefixes (each nesting level names
 * itself again, and only the first error of a nested object survives). The schema's `oneOf` on
 * `provenance` is not enforced by the generated model, so neither is it here.
 * Throws RekorError('invalid_entry').
 */
import { decodeBase64Field, goTypeName, invalidEntry, isJsonObject, objectMember, stringMember, validationFailure } from '../../go-decode.js';

export interface HelmSpec {
  readonly publicKey: { readonly content: Uint8Array | undefined } | undefined;
  readonly chart:
    | {
        readonly hash: { readonly algorithm: string | undefined; readonly value: string | undefined } | undefined;
        readonly provenance:
          | { readonly content: Uint8Array | undefined; readonly signature: { readonly content: Uint8Array | undefined } | undefined }
          | undefined;
      }
    | undefined;
}

export interface InsertableHelm {
  readonly publicKey: Uint8Array;
  readonly provenance: Uint8Array;
}

function decodeChart(raw: Record<string, unknown> | undefined): HelmSpec['chart'] {
  if (raw === undefined) return undefined;
  const hash = objectMember(raw, 'hash');
  const provenance = objectMember(raw, 'provenance');
  const signature = provenance === undefined ? undefined : objectMember(provenance, 'signature');
  return {
    hash: hash === undefined ? undefined : { algorithm: stringMember(hash, 'algorithm'), value: stringMember(hash, 'value') },
    provenance:
      provenance === undefined
        ? undefined
        : {
            signature:
              signature === undefined ? undefined : { content: decodeBase64Field(stringMember(signature, 'content'), 'provenance signature content') },
            content: decodeBase64Field(stringMember(provenance, 'content'), 'provenance content'),
          },
  };
}

/** DecodeEntry: the spec must be a JSON object. Go decodes the public key before the chart. */
export function decodeHelmSpec(spec: unknown): HelmSpec {
  if (!isJsonObject(spec)) throw invalidEntry(`unsupported input type ${goTypeName(spec)} for DecodeEntry`);
  const key = objectMember(spec, 'publicKey');
  const publicKey = key === undefined ? undefined : { content: decodeBase64Field(stringMember(key, 'content'), 'publicKey content') };
  return { publicKey, chart: decodeChart(objectMember(spec, 'chart')) };
}

/** The first error of Chart.Validate(), already renamed by its own level. */
function chartError(chart: NonNullable<HelmSpec['chart']>): string | undefined {
  const { hash, provenance } = chart;
  if (hash !== undefined) {
    const path = 'chart.hash.chart.hash';
    if (hash.algorithm === undefined) return `${path}.algorithm in body is required`;
    if (hash.algorithm !== 'sha256') return `${path}.algorithm in body should be one of [sha256]`;
    if (hash.value === undefined) return `${path}.value in body is required`;
  }
  if (provenance === undefined) return 'chart.provenance in body is required';
  if (provenance.signature !== undefined && provenance.signature.content === undefined) {
    const path = 'chart.provenance.chart.provenance.signature.chart.provenance.signature';
    return `${path}.content in body is required`;
  }
  return undefined;
}

/** The generated model's Validate(): chart first, then publicKey. */
export function validateHelmSpec(spec: HelmSpec): void {
  const errors: string[] = [];
  if (spec.chart === undefined) errors.push('chart in body is required');
  else {
    const error = chartError(spec.chart);
    if (error !== undefined) errors.push(`chart.${error}`);
  }
  if (spec.publicKey === undefined) errors.push('publicKey in body is required');
  else if (spec.publicKey.content === undefined) errors.push('publicKey.publicKey.content in body is required');
  if (errors.length > 0) throw validationFailure(errors);
}

/** V001Entry.validate() then Insertable(), as the registry path runs them. */
export function requireInsertable(spec: HelmSpec): InsertableHelm {
  const publicKey = spec.publicKey?.content;
  if (publicKey === undefined || publicKey.length === 0) throw invalidEntry("'content' must be specified for publicKey");
  const provenance = spec.chart?.provenance;
  if (provenance === undefined) throw invalidEntry('missing provenance');
  const content = provenance.content;
  if (provenance.signature?.content === undefined && (content === undefined || content.length === 0)) {
    throw invalidEntry("'content' must be specified for provenance");
  }
  if (content === undefined || content.length === 0) throw invalidEntry('entry not insertable into log: missing provenance content');
  return { publicKey, provenance: content };
}
