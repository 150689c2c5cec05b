/** Small reply helpers shared by the route files. */
import type { FastifyReply } from 'fastify';

/** go-chi's NoCache headers, which Rekor puts on its GET endpoints. */
export const NO_CACHE = {
  Expires: 'Thu, 01 Jan 1970 00:00:00 UTC',
  'Cache-Control': 'no-cache, no-store, no-transform, must-revalidate, private, max-age=0',
  Pragma: 'no-cache',
  'X-Accel-Expires': '0',
} as const;

/**
 * Sends an already serialized JSON body. Encoded here once: a string payload would be scanned
 * twice more, for Content-Length and again by the socket write.
 */
export function sendJson(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json').send(Buffer.from(json));
}
