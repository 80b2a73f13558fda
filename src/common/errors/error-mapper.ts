import { HttpException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { isConnectionError, isLockConflict } from '../database/mysql-errors';
import { DomainError } from './domain-error';
import { ERROR_STATUS, ErrorCode, ErrorDetail } from './error-code';

export interface MappedError {
  status: number;
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
  /** Unexpected: log it with its stack. */
  unexpected: boolean;
}

const CODE_BY_HTTP_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Content-Type must be application/json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is too large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty but Content-Type is application/json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body',
  FST_ERR_BAD_URL: 'The URL is not validly percent-encoded',
  FST_ERR_MAX_PARAM_LENGTH: 'A path parameter is too long',
};

/** Turns anything thrown while serving a request into the contract's error answer. */
export function mapError(error: unknown): MappedError {
  if (error instanceof DomainError) {
    return {
      status: ERROR_STATUS[error.code],
      code: error.code,
      message: error.message,
      details: error.details,
      unexpected: false,
    };
  }
  if (error instanceof ThrottlerException) {
    return {
      status: 429,
      code: 'TOO_MANY_REQUESTS',
      message: 'Too many requests; slow down',
      unexpected: false,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = CODE_BY_HTTP_STATUS[status];
    if (code) {
      const message = httpMessage(error, status);
      // Nest raises a 400 HttpException only for a body it could not parse.
      const details = status === 400 ? [{ field: 'body', reason: message }] : undefined;
      return { status, code, message, details, unexpected: false };
    }
  }
  const fastify = fastifyClientError(error);
  if (fastify) return fastify;
  if (isLockConflict(error)) {
    return {
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: 'The resource is busy; retry shortly',
      unexpected: false,
    };
  }
  if (isConnectionError(error)) {
    return {
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: 'The database is unavailable; retry shortly',
      unexpected: false,
    };
  }
  return {
    status: 500,
    code: 'INTERNAL_ERROR',
    message: 'An unexpected error occurred',
    unexpected: true,
  };
}

function httpMessage(error: HttpException, status: number): string {
  if (status === 404) return 'No such route';
  const message = error.message;
  return typeof message === 'string' && message.length < 200 ? message : 'Request rejected';
}

/** Errors raised by Fastify before a handler runs: bad JSON, size limit, content type. */
function fastifyClientError(error: unknown): MappedError | null {
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
  const mappedCode = CODE_BY_HTTP_STATUS[statusCode] ?? 'VALIDATION_FAILED';
  const message =
    (typeof code === 'string' && FASTIFY_MESSAGES[code]) ||
    (statusCode === 400 ? 'The request body is not valid JSON' : 'Request rejected');
  const status = ERROR_STATUS[mappedCode] === statusCode ? statusCode : 400;
  const field = code === 'FST_ERR_BAD_URL' || code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'url' : 'body';
  const details = status === 400 ? [{ field, reason: message }] : undefined;
  return { status, code: mappedCode, message, details, unexpected: false };
}
