/**
 * The one mapping from errors to HTTP: RekorError codes to statuses and Rekor's
 * {"code","message"} bodies. Handler errors carry the HTTP status as `code`; framework-style
 * validation errors (422) carry go-openapi's validation code (601…) as `code`, as Rekor does.
 * A 5xx never echoes an internal message.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { RekorError, type RekorErrorCode } from '../errors.js';

const STATUS: Record<RekorErrorCode, number> = {
  invalid_entry: 400,
  bad_request: 400,
  validation: 422,
  not_found: 404,
  duplicate_entry: 409,
  too_large: 413,
  overloaded: 503,
  not_enabled: 501,
  internal: 500,
};

/** go-openapi validation codes used in 422 bodies. */
export const VALIDATION = {
  invalidType: 601,
  required: 602,
  tooLong: 603,
  tooShort: 604,
  pattern: 605,
  enum: 606,
  maximum: 608,
  minimum: 609,
  maxItems: 611,
  minItems: 612,
} as const;

export function validationError(validationCode: number, message: string): RekorError {
  return new RekorError('validation', message, { detail: { validationCode } });
}

export function sendError(reply: FastifyReply, status: number, code: number, message: string): FastifyReply {
  return reply.code(status).type('application/json').send(JSON.stringify({ code, message }) + '\n');
}

export function handleError(err: FastifyError | RekorError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err instanceof RekorError) return sendRekorError(err, request, reply);
  const fastifyCode = (err as FastifyError).code;
  if (fastifyCode === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return sendError(reply, 413, 413, `Request Entity Too Large. Limit set to ${request.routeOptions.bodyLimit ?? 0}`);
  }
  const status = (err as FastifyError).statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return sendError(reply, status, status, err.message);
  }
  request.log.error({ err }, 'unhandled error');
  return sendError(reply, 500, 500, 'internal server error');
}

function sendRekorError(err: RekorError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status = STATUS[err.code];
  switch (err.code) {
    case 'validation':
      // Framework errors carry no trailing newline in Rekor.
      return reply
        .code(422)
        .type('application/json')
        .send(JSON.stringify({ code: err.detail.validationCode ?? 422, message: err.message }));
    case 'invalid_entry':
      return sendError(reply, status, status, `error processing entry: ${err.message}`);
    case 'duplicate_entry':
      if (err.detail.entryId !== undefined) reply.header('Location', `/api/v1/log/entries/${err.detail.entryId}`);
      return sendError(reply, status, status, err.message);
    case 'overloaded':
      reply.header('Retry-After', String(err.detail.retryAfterSeconds ?? 1));
      return sendError(reply, status, status, err.message);
    case 'not_found':
      // Rekor's entry lookups answer 404 with no body and no Content-Type.
      return reply.code(404).send();
    case 'internal':
      request.log.error({ err }, 'internal error');
      return sendError(reply, 500, 500, 'internal server error');
    default:
      return sendError(reply, status, status, err.message);
  }
}
