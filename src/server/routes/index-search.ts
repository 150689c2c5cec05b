/**
 * POST /api/v1/index/retrieve (searchIndex). Each criterion becomes one lower-cased index key;
 * `or` (the default) unions the hits of all keys, `and` intersects the per-criterion sets.
 * The index is written in the same transaction as the entry, so it is never behind the log.
 */
import type { FastifyInstance } from 'fastify';
import { RekorError } from '../../errors.js';
import { decodeStdBase64 } from '../../pki/base64.js';
import type { AppDeps } from '../deps.js';
import { VALIDATION, validationError } from '../errors.js';
import { jsonBody } from '../params.js';
import { sendJson } from '../reply.js';

const HASH = /^(sha512:)?[0-9a-fA-F]{128}$|^(sha256:)?[0-9a-fA-F]{64}$|^(sha1:)?[0-9a-fA-F]{40}$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const PKI_FORMATS = ['pgp', 'x509', 'minisign', 'ssh', 'tuf'];
const HASH_PREFIX: Record<number, string> = { 40: 'sha1:', 64: 'sha256:', 96: 'sha384:', 128: 'sha512:' };

export function indexSearchRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.post('/api/v1/index/retrieve', async (request, reply) => {
    const query = jsonBody(request, 'query', 'query');
    const criteria = await searchKeys(query, deps);
    const operator = query['operator'] ?? 'or';
    if (operator !== 'and' && operator !== 'or') {
      throw validationError(VALIDATION.enum, 'operator in body should be one of [and or]');
    }
    if (criteria.length === 0) return sendJson(reply, '[]\n');
    const hits = await deps.log.searchIndex(criteria);
    const sets = criteria.map((key) => new Set<string>(hits.get(key) ?? []));
    let result: Set<string>;
    if (operator === 'or') {
      result = new Set(sets.flatMap((s) => [...s]));
    } else {
      const [first, ...rest] = sets as [Set<string>, ...Array<Set<string>>];
      result = new Set([...first].filter((id) => rest.every((s) => s.has(id))));
    }
    return sendJson(reply, JSON.stringify([...result]) + '\n');
  });
}

async function searchKeys(query: Record<string, unknown>, deps: AppDeps): Promise<string[]> {
  const keys: string[] = [];
  const { hash, publicKey, email, subject } = query;
  if (hash !== undefined && hash !== null) {
    if (typeof hash !== 'string' || !HASH.test(hash)) {
      throw validationError(VALIDATION.pattern, `hash in body should match '${HASH.source}'`);
    }
    keys.push((hash.includes(':') ? hash : `${HASH_PREFIX[hash.length] ?? ''}${hash}`).toLowerCase());
  }
  if (publicKey !== undefined && publicKey !== null) keys.push(await publicKeyKey(publicKey, deps));
  if (email !== undefined && email !== null) {
    if (typeof email !== 'string' || !EMAIL.test(email)) {
      throw validationError(VALIDATION.invalidType, `email in body must be of type email: ${JSON.stringify(email)}`);
    }
    keys.push(email.toLowerCase());
  }
  if (subject !== undefined && subject !== null) {
    if (typeof subject !== 'string') throw validationError(VALIDATION.invalidType, 'subject in body must be of type string');
    if (subject.length < 1) throw validationError(VALIDATION.tooShort, 'subject in body should be at least 1 chars long');
    if (subject.length > 512) throw validationError(VALIDATION.tooLong, 'subject in body should be at most 512 chars long');
    keys.push(subject.toLowerCase());
  }
  return keys;
}

async function publicKeyKey(publicKey: unknown, deps: AppDeps): Promise<string> {
  if (typeof publicKey !== 'object' || publicKey === null || Array.isArray(publicKey)) {
    throw validationError(VALIDATION.invalidType, 'publicKey in body must be of type object');
  }
  const { format, content } = publicKey as Record<string, unknown>;
  if (format === undefined || format === null) throw validationError(VALIDATION.required, 'publicKey.format in body is required');
  if (typeof format !== 'string' || !PKI_FORMATS.includes(format)) {
    throw validationError(VALIDATION.enum, `publicKey.format in body should be one of [${PKI_FORMATS.join(' ')}]`);
  }
  let key: Uint8Array;
  try {
    if (typeof content !== 'string' || content === '') throw new Error('empty');
    key = decodeStdBase64(content);
  } catch {
    throw validationError(VALIDATION.invalidType, 'publicKey.content in body must be of type byte');
  }
  if (!deps.searchKeyFormats.includes(format)) {
    throw new RekorError('bad_request', 'the PKI format requested is not supported by this server');
  }
  try {
    return await deps.publicKeySearchKey(format, key);
  } catch (err) {
    throw new RekorError('bad_request', 'public key provided could not be parsed', { cause: err });
  }
}
