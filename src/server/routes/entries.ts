/** POST /api/v1/log/entries, GET /api/v1/log/entries?logIndex=, GET /api/v1/log/entries/{entryUUID}. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RekorError } from '../../errors.js';
import { isValidTreeId, parseEntryUuid } from '../../log/index.js';
import type { AppDeps } from '../deps.js';
import { VALIDATION, validationError } from '../errors.js';
import { integerQuery, jsonBody } from '../params.js';
import { checkProposedEntry } from '../proposed.js';
import { entryDocuments } from '../entry-documents.js';
import { NO_CACHE, sendJson } from '../reply.js';
import { resolveSpecUrls } from '../url-fetch.js';
import { logEntryJson } from '../wire.js';

const UUID_PATTERN = '^([0-9a-fA-F]{64}|[0-9a-fA-F]{80})$';

export function entryRoutes(app: FastifyInstance, deps: AppDeps): void {
  const documents = deps.entries ?? entryDocuments(deps.log.reader);
  app.post('/api/v1/log/entries', async (request, reply) => {
    const proposed = checkProposedEntry(jsonBody(request, 'proposedEntry', 'entry'));
    const spec = await resolveSpecUrls(proposed.kind, proposed.spec, deps.fetchUrl);
    const canonical = await deps.canonicalize(proposed.kind, proposed.apiVersion, spec);
    let { attestation } = canonical;
    if (attestation !== undefined && attestation.length > deps.limits.maxAttestationSize && canonical.attestationOptional === true) {
      attestation = undefined;
    }
    if (attestation !== undefined && attestation.length > deps.limits.maxAttestationSize) {
      throw new RekorError(
        'too_large',
        `attestation of ${attestation.length} bytes is larger than the limit of ${deps.limits.maxAttestationSize} bytes`,
      );
    }
    const added = await deps.log.add({
      leafHash: canonical.leafHash,
      body: canonical.body,
      indexKeys: canonical.indexKeys,
      ...(attestation === undefined ? {} : { attestation }),
    });
    if (added.status === 'duplicate') {
      throw new RekorError('duplicate_entry', `an equivalent entry already exists in the transparency log with UUID ${added.entryId}`, {
        detail: { entryId: added.entryId },
      });
    }
    const id = added.view.entryId;
    reply.header('Location', `${request.url.split('?')[0]}/${id}`).header('ETag', id);
    // As in Rekor, the 201 does not carry the attestation; reads do.
    return sendJson(reply.code(201), logEntryJson(added.view, false) + '\n');
  });

  app.get('/api/v1/log/entries', async (request, reply) => {
    reply.headers(NO_CACHE);
    const logIndex = integerQuery(request, 'logIndex', 0n);
    return sendEntry(reply, await documents.byIndex(logIndex));
  });

  app.get('/api/v1/log/entries/:entryUUID', async (request: FastifyRequest<{ Params: { entryUUID: string } }>, reply) => {
    reply.headers(NO_CACHE);
    const raw = request.params.entryUUID;
    const parsed = parseEntryUuid(raw);
    if (parsed === null) throw validationError(VALIDATION.pattern, `entryUUID in path should match '${UUID_PATTERN}'`);
    if (parsed.treeId !== undefined && !isValidTreeId(parsed.treeId)) {
      throw new RekorError('bad_request', `validation error: invalid tree ID in entry ID ${raw}`);
    }
    if (parsed.treeId !== undefined && deps.log.shardOf(parsed.treeId) === undefined) return sendEntry(reply, null);
    const found = await documents.byLeafHash(parsed.leafHash, parsed.treeId);
    return sendEntry(reply, found[0] ?? null);
  });
}

function sendEntry(reply: FastifyReply, document: Buffer | null): FastifyReply {
  if (document === null) throw new RekorError('not_found', 'entry not found');
  return reply.type('application/json').send(document);
}
