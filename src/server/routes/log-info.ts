/** GET /api/v1/log, /api/v1/log/proof and /api/v1/log/publicKey. */
import { createPublicKey } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RekorError } from '../../errors.js';
import type { ShardRecord, TransparencyLog } from '../../log/index.js';
import type { AppDeps } from '../deps.js';
import { sendError } from '../errors.js';
import { integerQuery, treeIdQuery } from '../params.js';
import { NO_CACHE, sendJson } from '../reply.js';
import { consistencyProofJson, logInfoJson } from '../wire.js';

const PEM_TYPE = 'application/x-pem-file';

export function logInfoRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { log } = deps;

  app.get('/api/v1/log', async (_request, reply) => {
    reply.headers(NO_CACHE);
    const active = await log.head();
    const inactive = [];
    for (const shard of log.shards) {
      if (shard.state === 'frozen') inactive.push({ shard, head: await log.head(shard.treeId) });
    }
    return sendJson(reply, logInfoJson(active, inactive));
  });

  app.get('/api/v1/log/proof', async (request, reply) => {
    reply.headers(NO_CACHE);
    const firstSize = integerQuery(request, 'firstSize', 1n, 1n);
    const lastSize = integerQuery(request, 'lastSize', 1n);
    const shard = shardFromQuery(request, log, (id) => `no log range found for tree ID ${id}`);
    if (firstSize > lastSize) {
      throw new RekorError('bad_request', `firstSize(${firstSize}) must be less than lastSize(${lastSize})`);
    }
    const head = await log.head(shard.treeId);
    if (lastSize > head.size) {
      throw new RekorError(
        'bad_request',
        `the tree size requested(${lastSize}) was greater than what is currently observable(${head.size})`,
      );
    }
    const hashes = await log.consistencyProof(shard.treeId, firstSize, lastSize);
    return sendJson(reply, consistencyProofJson(hashes, head.rootHash));
  });

  app.get('/api/v1/log/publicKey', async (request, reply) => {
    reply.headers(NO_CACHE);
    if (!acceptsPem(request.headers.accept)) {
      return sendError(reply, 406, 406, `unsupported media type requested, only [${PEM_TYPE}] are available`);
    }
    const shard = shardFromQuery(request, log, () => 'Bad Request');
    const pem = createPublicKey({ key: Buffer.from(shard.publicKeyDer), format: 'der', type: 'spki' }).export({
      type: 'spki',
      format: 'pem',
    });
    return reply.type(PEM_TYPE).send(pem);
  });
}

function shardFromQuery(request: FastifyRequest, log: TransparencyLog, unknown: (id: string) => string): ShardRecord {
  const raw = treeIdQuery(request);
  if (raw === undefined) return log.activeShard;
  const id = BigInt(raw);
  const shard = log.shardOf(id);
  if (shard === undefined) throw new RekorError('bad_request', unknown(raw));
  return shard;
}

function acceptsPem(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept
    .split(',')
    .map((part) => (part.split(';')[0] ?? '').trim().toLowerCase())
    .some((type) => type === PEM_TYPE || type === '*/*' || type === 'application/*');
}
