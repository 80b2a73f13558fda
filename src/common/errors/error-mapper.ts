import { HttpException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { isConnectionError, isLockConflict } from '../database/mysql-errors';
import { ServiceUnavailableError } from './common.errors';
import { ContractError, ErrorDetail } from './contract-error';
import { InternalError, RouteNotFoundError, TooManyRequestsError } from './http.errors';
import { errorForStatus } from './status-errors';

export interface MappedError {
  status: number;
  code: string;
  message: string;
  details?: ErrorDetail[];
  /** Unexpected: log it with its stack. */
  unexpected: boolean;
}

const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Content-Type must be application/json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is too large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty but Content-Type is application/json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body',
  FST_ERR_BAD_URL: 'The URL is not validly percent-encoded',
  FST_ERR_MAX_PARAM_LENGTH: 'A path parameter is too long',
};

/**
 * Turns anything thrown while serving a request into the contract's error answer: a
 * `ContractError` answers with its own code and status; a failure of Nest, Fastify, the
 * throttler or the driver is first recognised as one; anything else is an `InternalError`.
 */
export function mapError(error: unknown): MappedError {
  const known = error instanceof ContractError ? error : recognise(error);
  const answer = known ?? new InternalError();
  return {
    status: answer.status,
    code: answer.code,
    message: answer.message,
    details: answer.details,
    unexpected: !known,
  };
}

function recognise(error: unknown): ContractError | null {
  if (error instanceof ThrottlerException) return new TooManyRequestsError();
  if (error instanceof HttpException) {
    const status = error.getStatus();
    // Nest's router answers an unknown route with a message echoing the path: not repeated.
    if (status === RouteNotFoundError.status) return new RouteNotFoundError();
    // Nest raises a 400 HttpException only for a body it could not parse.
    const known = errorForStatus(status, httpMessage(error), 'body');
    if (known) return known;
  }
  const fastify = fastifyClientError(error);
  if (fastify) return fastify;
  if (isLockConflict(error))
    return new ServiceUnavailableError('The resource is busy; retry shortly');
  if (isConnectionError(error)) {
    return new ServiceUnavailableError('The database is unavailable; retry shortly');
  }
  return null;
}

function httpMessage(error: HttpException): string {
  const message = error.message;
  return typeof message === 'string' && message.length < 200 ? message : 'Request rejected';
}

/** Errors raised by Fastify before a handler runs: bad JSON, size limit, content type. */
function fastifyClientError(error: unknown): ContractError | null {
  if (!error || typeof error !== 'object') return null;
  const { statusCode, code } = error as { statusCode?: unknown; code?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return null;
  if (typeof code !== 'string' || !code.startsWith('FST_')) {
    // Body parser errors (JSON syntax, __proto__ keys) carry a status but a plain SyntaxError.
    if (
      statusCode !== 400 ||
      !(error instanceof SyntaxError || (error as Error).message?.includes('JSON'))
    ) {
      return null;
    }
  }
  const message =
    (typeof code === 'string' && FASTIFY_MESSAGES[code]) ||
    (statusCode === 400 ? 'The request body is not valid JSON' : 'Request rejected');
  const field = code === 'FST_ERR_BAD_URL' || code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'url' : 'body';
  // A status the contract has no error for (414, say) is answered as invalid input.
  return errorForStatus(statusCode, message, field) ?? errorForStatus(400, message, field);
}
