import type { UnavailableCause } from '../metrics/metrics';
import { ApplicationError } from './application-error';
import type { ErrorDetail } from './contract-error';
import { DomainError } from './domain-error';

/**
 * A value breaks its rules: a field of the request, or a quantity or amount a domain rule
 * refuses. A domain error, as the domain throws it for the same rules the request's validation
 * checks first.
 */
export class ValidationFailedError extends DomainError {
  static readonly code = 'VALIDATION_FAILED';
  static readonly status = 400;
  static readonly description =
    'the body, query or path is invalid; `details` lists each field and reason';
  static readonly message = 'Request validation failed';
  static override example() {
    return new ValidationFailedError([
      { field: 'size', reason: 'size must not be greater than 100' },
    ]);
  }

  constructor(details: ErrorDetail[], message?: string) {
    super(message, details);
  }
}

export class ForbiddenError extends ApplicationError {
  static readonly code = 'FORBIDDEN';
  static readonly status = 403;
  static readonly description =
    "someone else's resource, or an admin-only route, without an admin token";
  static readonly message = 'You may not access this resource';
}

export class UnauthorizedError extends ApplicationError {
  static readonly code = 'UNAUTHORIZED';
  static readonly status = 401;
  static readonly description = 'the bearer token is missing, malformed, badly signed or expired';
  static readonly message = 'A valid bearer token is required';
}

/** The database is unreachable or a lock could not be had in time: the client should retry. */
export class ServiceUnavailableError extends ApplicationError {
  static readonly code = 'SERVICE_UNAVAILABLE';
  static readonly status = 503;
  static readonly description =
    'the database is unreachable or a row stayed locked too long; retry (see `Retry-After`)';
  static readonly message = 'The service is temporarily unavailable; retry shortly';
  static override example() {
    return new ServiceUnavailableError('The database is unavailable; retry shortly');
  }

  /** Why, for the metrics (`http_unavailable_responses_total{cause}`); never shown to clients. */
  constructor(
    message?: string,
    readonly reason: UnavailableCause = 'database',
  ) {
    super(message);
  }
}
