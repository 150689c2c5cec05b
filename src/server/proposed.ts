/**
 * The outer ProposedEntry checks Rekor's generated layer makes (422s), before the entry kind
 * looks at `spec`: `kind` present and one of Rekor's kinds, `apiVersion` a semver, `spec` an
 * object. `at` prefixes field names for entries inside a retrieve query (`entries.0.`).
 */
import { REKOR_KINDS } from '../types/index.js';
import { VALIDATION, validationError } from './errors.js';

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export interface ProposedEntry {
  kind: string;
  apiVersion: string;
  spec: Record<string, unknown>;
}

export function checkProposedEntry(value: unknown, at = ''): ProposedEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw validationError(VALIDATION.invalidType, `${at || 'proposedEntry '}in body must be of type object`);
  }
  const { kind, apiVersion, spec } = value as Record<string, unknown>;
  if (kind === undefined || kind === null) throw validationError(VALIDATION.required, `${at}kind in body is required`);
  if (typeof kind !== 'string') throw validationError(VALIDATION.invalidType, `${at}kind in body must be of type string`);
  if (!REKOR_KINDS.includes(kind)) {
    throw validationError(422, `invalid kind value: ${JSON.stringify(kind)}`);
  }
  if (apiVersion === undefined || apiVersion === null) {
    throw validationError(VALIDATION.required, `${at}apiVersion in body is required`);
  }
  if (typeof apiVersion !== 'string') {
    throw validationError(VALIDATION.invalidType, `${at}apiVersion in body must be of type string`);
  }
  if (!SEMVER.test(apiVersion)) {
    throw validationError(VALIDATION.pattern, `${at}apiVersion in body should match '${SEMVER.source}'`);
  }
  if (spec === undefined || spec === null) throw validationError(VALIDATION.required, `${at}spec in body is required`);
  if (typeof spec !== 'object' || Array.isArray(spec)) {
    throw validationError(VALIDATION.invalidType, `${at}spec in body must be of type object`);
  }
  return { kind, apiVersion, spec: spec as Record<string, unknown> };
}
