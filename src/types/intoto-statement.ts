/**
 * Search-index keys from an in-toto statement, shared by the dsse and intoto kinds (REKOR.md
 * §9.2): every `subject[].digest` and, for SLSA v0.2-shaped predicates, every
 * `predicate.materials[].digest`, each as lower-cased `<alg>:<digest>`. Rekor reads these with
 * Go's encoding/json into typed structs (in-toto-golang Statement / ProvenanceStatement), so a
 * member of the wrong JSON type makes that whole decode fail and yields no keys of that group;
 * null counts as absent. Pure; never throws: a payload that is not such JSON gives [].
 * Known gap: Go also matches member names case-insensitively; only exact names are read here.
 */
import { isJsonObject } from './go-decode.js';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** A Go-struct shape: 'string' | 'bool' | 'any' | 'time' | a digest map | an object | an array. */
type Shape = 'string' | 'bool' | 'any' | 'time' | 'digests' | { readonly [member: string]: Shape } | readonly [Shape];

const SUBJECT: Shape = { name: 'string', digest: 'digests' };
const STATEMENT: Shape = { _type: 'string', predicateType: 'string', subject: [SUBJECT], predicate: 'any' };

// slsa.dev/provenance v0.2 as in-toto-golang declares it; fields not listed are ignored by Go too.
const SLSA02_PREDICATE: Shape = {
  builder: { id: 'string' },
  buildType: 'string',
  invocation: { configSource: { uri: 'string', digest: 'digests', entryPoint: 'string' }, parameters: 'any', environment: 'any' },
  buildConfig: 'any',
  metadata: {
    buildInvocationId: 'string',
    buildStartedOn: 'time',
    buildFinishedOn: 'time',
    completeness: { parameters: 'bool', environment: 'bool', materials: 'bool' },
    reproducible: 'bool',
  },
  materials: [{ uri: 'string', digest: 'digests' }],
};
const PROVENANCE_STATEMENT: Shape = { ...STATEMENT, predicate: SLSA02_PREDICATE };

// What Go's time.Time accepts from JSON: an RFC 3339 timestamp.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Whether json.Unmarshal of `value` into the Go type described by `shape` succeeds. */
function fits(value: unknown, shape: Shape): boolean {
  if (value === null || shape === 'any') return true;
  if (shape === 'string') return typeof value === 'string';
  if (shape === 'bool') return typeof value === 'boolean';
  if (shape === 'time') return typeof value === 'string' && RFC3339.test(value);
  if (shape === 'digests') return isJsonObject(value) && Object.values(value).every((v) => v === null || typeof v === 'string');
  if (Array.isArray(shape)) return Array.isArray(value) && value.every((item) => fits(item, shape[0] as Shape));
  if (!isJsonObject(value)) return false;
  return Object.entries(shape as Record<string, Shape>).every(([name, member]) => !Object.hasOwn(value, name) || fits(value[name], member));
}

/** `<alg>:<digest>` for each entry of each element's `digest` map. */
function digestKeys(elements: unknown): string[] {
  if (!Array.isArray(elements)) return [];
  const keys: string[] = [];
  for (const element of elements) {
    const digest = isJsonObject(element) ? element['digest'] : undefined;
    if (!isJsonObject(digest)) continue;
    for (const [alg, value] of Object.entries(digest)) keys.push(`${alg}:${typeof value === 'string' ? value : ''}`.toLowerCase());
  }
  return keys;
}

function parseJson(payload: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8').decode(payload)) as unknown;
  } catch {
    return undefined;
  }
}

/** Lower-cased `<alg>:<digest>` keys of the statement's subjects and SLSA materials; [] if none. */
export function inTotoDigestKeys(payloadType: string, payload: Uint8Array): string[] {
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE || payload.length === 0) return [];
  const statement = parseJson(payload);
  if (!isJsonObject(statement) || !fits(statement, STATEMENT)) return [];
  const keys = digestKeys(statement['subject']);
  if (fits(statement, PROVENANCE_STATEMENT)) {
    const predicate = statement['predicate'];
    if (isJsonObject(predicate)) keys.push(...digestKeys(predicate['materials']));
  }
  return keys;
}
