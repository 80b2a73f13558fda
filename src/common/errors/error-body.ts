import type { FastifyReply, FastifyRequest } from 'fastify';
import { mapError } from './error-mapper';

/** Writes the standard error body for `error`; logs unexpected errors with the request id. */
export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const mapped = mapError(error);
  if (mapped.unexpected) {
    request.log.error({ err: error }, 'unexpected error');
  } else if (mapped.status === 503) {
    request.log.warn({ err: error }, 'service unavailable');
  }
  if (mapped.status === 503) reply.header('retry-after', '1');
  void reply.status(mapped.status).send({
    statusCode: mapped.status,
    code: mapped.code,
    message: mapped.message,
    ...(mapped.details ? { details: mapped.details } : {}),
    path: request.url.split('?')[0],
    timestamp: new Date().toISOString(),
  });
}
