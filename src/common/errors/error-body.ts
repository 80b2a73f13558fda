import type { FastifyReply, FastifyRequest } from 'fastify';
import { MappedError, mapError } from './error-mapper';
import { RecordedErrorResponse } from './recorded-error-response';

/** The standard error body of the contract. */
export function errorBody(mapped: MappedError, url: string, at: Date): Record<string, unknown> {
  return {
    statusCode: mapped.status,
    code: mapped.code,
    message: mapped.message,
    ...(mapped.details ? { details: mapped.details } : {}),
    path: url.split('?')[0],
    timestamp: at.toISOString(),
  };
}

/** Writes the standard error body for `error`; logs unexpected errors with the request id. */
export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof RecordedErrorResponse) {
    void reply.status(error.status).send(error.body);
    return;
  }
  const mapped = mapError(error);
  if (mapped.unexpected) {
    request.log.error({ err: error }, 'unexpected error');
  } else if (mapped.status === 503) {
    request.log.warn({ err: error }, 'service unavailable');
  }
  if (mapped.status === 503) reply.header('retry-after', '1');
  void reply.status(mapped.status).send(errorBody(mapped, request.url, new Date()));
}
