/** GET|HEAD /ping (heartbeat, body "."), and GET / (a short home page). */
import type { FastifyInstance } from 'fastify';

const HOME = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>rekor-ts</title></head>
<body><h1>rekor-ts</h1>
<p>A transparency log for software supply-chain metadata, compatible with Sigstore's Rekor v1 API.</p>
<ul>
<li><a href="/api/v1/log">/api/v1/log</a>: the log's current size, root hash and signed checkpoint</li>
<li><a href="/api/v1/log/publicKey">/api/v1/log/publicKey</a>: the key that signs checkpoints and entry timestamps</li>
</ul></body></html>
`;

export function healthRoutes(app: FastifyInstance): void {
  app.route({
    method: ['GET', 'HEAD'],
    url: '/ping',
    exposeHeadRoute: false,
    handler: async (_request, reply) => reply.type('text/plain').send('.'),
  });
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(HOME));
}
