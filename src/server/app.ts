/**
 * buildApp(deps) assembles the Rekor v1 HTTP API on Fastify without listening, so tests drive
 * it with inject() and src/main decides where it listens. Bodies are taken raw (every POST
 * must be application/json, as Rekor requires) and parsed by the routes, so every failure
 * gets Rekor's {"code","message"} shape; unknown paths get 404, wrong methods 405 with Allow.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { AppDeps } from './deps.js';
import { handleError, sendError } from './errors.js';
import { entryRoutes } from './routes/entries.js';
import { healthRoutes } from './routes/health.js';
import { indexSearchRoutes } from './routes/index-search.js';
import { logInfoRoutes } from './routes/log-info.js';
import { retrieveRoutes } from './routes/retrieve.js';

/** Rekor's routes and their methods, for 405 answers. `:x` matches one path segment. */
const ROUTES: ReadonlyArray<{ pattern: RegExp; methods: string[] }> = [
  { pattern: /^\/api\/v1\/log\/entries$/, methods: ['GET', 'POST'] },
  { pattern: /^\/api\/v1\/log\/entries\/retrieve$/, methods: ['POST'] },
  { pattern: /^\/api\/v1\/log\/entries\/[^/]+$/, methods: ['GET'] },
  { pattern: /^\/api\/v1\/log$/, methods: ['GET'] },
  { pattern: /^\/api\/v1\/log\/proof$/, methods: ['GET'] },
  { pattern: /^\/api\/v1\/log\/publicKey$/, methods: ['GET'] },
  { pattern: /^\/api\/v1\/index\/retrieve$/, methods: ['POST'] },
  { pattern: /^\/ping$/, methods: ['GET', 'HEAD'] },
  { pattern: /^\/$/, methods: ['GET'] },
];

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const logging = typeof deps.logger === 'object' ? { loggerInstance: deps.logger } : { logger: deps.logger ?? false };
  const app = Fastify({
    ...logging,
    // Per-request log lines cost more than the request itself on the append path.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.limits.maxRequestBodySize,
    requestTimeout: 30_000,
    keepAliveTimeout: 180_000,
    return503OnClosing: true,
    // Rekor's validation messages and JSON shapes are produced by the routes themselves.
    ajv: { customOptions: { coerceTypes: false } },
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  // A callback hook, not an async one: it runs on every request, and reads need no promise here.
  app.addHook('onRequest', (request, reply, done) => {
    const type = request.method === 'POST' ? mediaType(request) : 'application/json';
    if (type === 'application/json') {
      done();
      return;
    }
    sendError(reply, 415, 415, `unsupported media type ${JSON.stringify(type)}, only [application/json] are allowed`);
  });

  app.setErrorHandler(handleError);
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const route = ROUTES.find((r) => r.pattern.test(path));
    if (route !== undefined) {
      reply.header('Allow', route.methods.join(','));
      return sendError(reply, 405, 405, `method ${request.method} is not allowed, but [${route.methods.join(',')}] are`);
    }
    return sendError(reply, 404, 404, `path ${path} was not found`);
  });

  entryRoutes(app, deps);
  retrieveRoutes(app, deps);
  logInfoRoutes(app, deps);
  indexSearchRoutes(app, deps);
  healthRoutes(app);
  return app;
}

function mediaType(request: FastifyRequest): string {
  const header = request.headers['content-type'];
  if (header === undefined || header.trim() === '') return 'application/octet-stream';
  return (header.split(';')[0] ?? '').trim().toLowerCase();
}
