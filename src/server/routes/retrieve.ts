/**
 * POST /api/v1/log/entries/retrieve (searchLogQuery). Results, as Rekor orders them: EntryID
 * hits in input order, then hash hits (UUIDs, then the leaf hashes of proposed entries) in
 * every shard, then log-index hits. Missing items are skipped; nothing is de-duplicated.
 */
import type { FastifyInstance } from 'fastify';
import { RekorError, isRekorError } from '../../errors.js';
import { isValidTreeId, parseEntryUuid } from '../../log/index.js';
import type { AppDeps } from '../deps.js';
import { VALIDATION, validationError } from '../errors.js';
import { jsonBody } from '../params.js';
import { checkProposedEntry } from '../proposed.js';
import { documentList, entryDocuments } from '../entry-documents.js';
import { resolveSpecUrls } from '../url-fetch.js';

const MAX_ITEMS = 10;

export function retrieveRoutes(app: FastifyInstance, deps: AppDeps): void {
  const documents = deps.entries ?? entryDocuments(deps.log.reader);
  app.post('/api/v1/log/entries/retrieve', async (request, reply) => {
    const query = jsonBody(request, 'entry', 'entry');
    const uuids = arrayField(query, 'entryUUIDs', false) as string[];
    const indexes = arrayField(query, 'logIndexes', false);
    const proposals = arrayField(query, 'entries', true);
    uuids.forEach((u, i) => {
      if (typeof u !== 'string' || parseEntryUuid(u) === null) {
        throw validationError(VALIDATION.pattern, `entryUUIDs.${i} in body should match '^([0-9a-fA-F]{64}|[0-9a-fA-F]{80})$'`);
      }
    });
    const logIndexes = indexes.map((v, i) => {
      if (typeof v !== 'number' || !Number.isInteger(v)) {
        throw validationError(VALIDATION.invalidType, `logIndexes.${i} in body must be of type integer`);
      }
      if (v < 0) throw validationError(VALIDATION.minimum, `logIndexes.${i} in body should be greater than or equal to 0`);
      return v;
    });
    const entries = proposals.map((p, i) => checkProposedEntry(p, `entries.${i}.`));
    if (uuids.length + logIndexes.length + entries.length > MAX_ITEMS) {
      throw validationError(422, `more than max allowed ${MAX_ITEMS} entries in request`);
    }

    const found: Buffer[] = [];
    const leafHashes: Uint8Array[] = [];
    for (const uuid of uuids) {
      const parsed = parseEntryUuid(uuid);
      if (parsed === null) continue;
      if (parsed.treeId === undefined) {
        leafHashes.push(parsed.leafHash);
        continue;
      }
      if (!isValidTreeId(parsed.treeId)) throw new RekorError('bad_request', `invalid entryID ${uuid}`);
      if (deps.log.shardOf(parsed.treeId) === undefined) continue;
      found.push(...(await documents.byLeafHash(parsed.leafHash, parsed.treeId)));
    }
    for (const proposed of entries) {
      try {
        const spec = await resolveSpecUrls(proposed.kind, proposed.spec, deps.fetchUrl);
        const canonical = await deps.canonicalize(proposed.kind, proposed.apiVersion, spec);
        leafHashes.push(canonical.leafHash);
      } catch (err) {
        if (isRekorError(err, 'invalid_entry')) throw new RekorError('bad_request', err.message, { cause: err });
        throw err;
      }
    }
    for (const leafHash of leafHashes) found.push(...(await documents.byLeafHash(leafHash)));
    for (const index of logIndexes) {
      const document = Number.isSafeInteger(index) ? await documents.byIndex(BigInt(index)) : null;
      if (document !== null) found.push(document);
    }
    return reply.type('application/json').send(documentList(found));
  });
}

/** An optional array member with Rekor's bounds; `emptyIsAbsent` for `entries`. */
function arrayField(query: Record<string, unknown>, name: string, emptyIsAbsent: boolean): unknown[] {
  const value = query[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw validationError(VALIDATION.invalidType, `${name} in body must be of type array`);
  if (value.length === 0) {
    if (emptyIsAbsent) return [];
    throw validationError(VALIDATION.minItems, `${name} in body should have at least 1 items`);
  }
  if (value.length > MAX_ITEMS) {
    throw validationError(VALIDATION.maxItems, `${name} in body should have at most ${MAX_ITEMS} items`);
  }
  return value;
}
