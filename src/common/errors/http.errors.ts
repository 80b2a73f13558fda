import { ApplicationError } from './application-error';

/*
 * Answers of the HTTP layer itself: raised by Node, Fastify, Nest or the throttler before (or
 * instead of) a route, and answered as these by the error mapper and `answerClientError`.
 */

export class RouteNotFoundError extends ApplicationError {
  static readonly code = 'NOT_FOUND';
  static readonly status = 404;
  static readonly description = 'no such route';
  static readonly message = 'No such route';
}

export class RequestTimeoutError extends ApplicationError {
  static readonly code = 'REQUEST_TIMEOUT';
  static readonly status = 408;
  static readonly description =
    'the request did not arrive completely in time (the connection is closed)';
  static readonly message = 'The request took too long to arrive';
}

export class PayloadTooLargeError extends ApplicationError {
  static readonly code = 'PAYLOAD_TOO_LARGE';
  static readonly status = 413;
  static readonly description = 'the body is larger than 64 KiB';
  static readonly message = 'The request body is too large';
}

export class UnsupportedMediaTypeError extends ApplicationError {
  static readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  static readonly status = 415;
  static readonly description = 'a body is sent with a Content-Type other than application/json';
  static readonly message = 'Content-Type must be application/json';
}

export class TooManyRequestsError extends ApplicationError {
  static readonly code = 'TOO_MANY_REQUESTS';
  static readonly status = 429;
  static readonly description =
    'the rate limit (RATE_LIMIT_PER_MINUTE per user or client address) is used up';
  static readonly message = 'Too many requests; slow down';
}

export class HeadersTooLargeError extends ApplicationError {
  static readonly code = 'HEADERS_TOO_LARGE';
  static readonly status = 431;
  static readonly description =
    'the request line and headers together exceed 16 KiB (the connection is closed)';
  static readonly message = 'The request headers or URL are too large';
}

/** Anything unexpected: the message is fixed, the error itself only reaches the log. */
export class InternalError extends ApplicationError {
  static readonly code = 'INTERNAL_ERROR';
  static readonly status = 500;
  static readonly description =
    'anything unexpected (logged with the request id from `X-Request-Id`, never shown)';
  static readonly message = 'An unexpected error occurred';
}
