/**
 * The `{algorithm, value}` digest objects both intoto schemas nest under `content` (`hash`,
 * `payloadHash`): read leniently like the other spec fields (a member of the wrong JSON type
 * counts as absent) and checked as the go-swagger model does: both members required, the
 * algorithm one of [sha256]. Error paths carry go-swagger's doubled prefix
 * (`content.content.hash.content.hash.algorithm`), and only a digest's first error is reported.
 */
import { objectMember, stringMember } from '../go-decode.js';
import { goString } from './dsse.js';

export interface HashSpec {
  readonly algorithm: string | undefined;
  readonly value: string | undefined;
}

export const DIGEST_ALGORITHMS = ['sha256'] as const;

export function decodeHashSpec(content: Record<string, unknown>, name: 'hash' | 'payloadHash'): HashSpec | undefined {
  const raw = objectMember(content, name);
  if (raw === undefined) return undefined;
  const algorithm = stringMember(raw, 'algorithm');
  const value = stringMember(raw, 'value');
  return { algorithm: algorithm === undefined ? undefined : goString(algorithm), value: value === undefined ? undefined : goString(value) };
}

/** The first schema error of a present digest object, or undefined when it is well formed. */
export function hashSpecError(name: 'hash' | 'payloadHash', hash: HashSpec | undefined): string | undefined {
  if (hash === undefined) return undefined;
  const path = `content.content.${name}.content.${name}`;
  if (hash.algorithm === undefined) return `${path}.algorithm in body is required`;
  if (!(DIGEST_ALGORITHMS as readonly string[]).includes(hash.algorithm)) {
    return `${path}.algorithm in body should be one of [${DIGEST_ALGORITHMS.join(' ')}]`;
  }
  if (hash.value === undefined) return `${path}.value in body is required`;
  return undefined;
}
