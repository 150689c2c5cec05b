/**
 * Request checks that Rekor's generated (go-openapi) layer performs before a handler runs,
 * with its 422 messages: `<name> in query is required`, `… should be greater than or equal to N`.
 */
import type { FastifyRequest } from 'fastify';
import { RekorError } from '../errors.js';
import { VALIDATION, validationError } from './errors.js';

type Query = Record<string, string | string[] | undefined>;

function single(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Query)[name];
  return Array.isArray(value) ? value[0] : value;
}

/** An integer query parameter ≥ `min`, as a bigint; `fallback` when absent (else required). */
export function integerQuery(request: FastifyRequest, name: string, min: bigint, fallback?: bigint): bigint {
  const raw = single(request, name);
  if (raw === undefined || raw === '') {
    if (fallback !== undefined) return fallback;
    throw validationError(VALIDATION.required, `${name} in query is required`);
  }
  if (!/^-?\d{1,19}$/.test(raw)) {
    throw validationError(VALIDATION.invalidType, `${name} in query must be of type int64: "${raw}"`);
  }
  const value = BigInt(raw);
  if (value > (1n << 63n) - 1n || value < -(1n << 63n)) {
    throw validationError(VALIDATION.invalidType, `${name} in query must be of type int64: "${raw}"`);
  }
  if (value < min) throw validationError(VALIDATION.minimum, `${name} in query should be greater than or equal to ${min}`);
  return value;
}

/** An optional decimal tree ID (pattern ^[0-9]+$). */
export function treeIdQuery(request: FastifyRequest): string | undefined {
  const raw = single(request, 'treeID');
  if (raw === undefined) return undefined;
  if (!/^[0-9]+$/.test(raw)) throw validationError(VALIDATION.pattern, `treeID in query should match '^[0-9]+$'`);
  return raw;
}

/** Parses a JSON request body that must be an object; `param` names it in Rekor's messages. */
export function jsonBody(request: FastifyRequest, param: string, parseName: string): Record<string, unknown> {
  const raw = request.body;
  if (!Buffer.isBuffer(raw) || raw.length === 0) {
    throw validationError(VALIDATION.required, `${param} in body is required`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new RekorError('bad_request', `parsing ${parseName} body from "" failed, because ${(err as Error).message}`);
  }
  if (parsed === null) throw validationError(VALIDATION.required, `${param} in body is required`);
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw validationError(VALIDATION.invalidType, `${param} in body must be of type object`);
  }
  return parsed as Record<string, unknown>;
}
