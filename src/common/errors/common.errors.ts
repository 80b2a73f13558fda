import { DomainError } from './domain-error';
import type { ErrorDetail } from './error-code';

export class ValidationFailedError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  constructor(details: ErrorDetail[], message = 'Request validation failed') {
    super(message, details);
  }
}

export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
  constructor(message = 'You may not access this resource') {
    super(message);
  }
}

export class UnauthorizedError extends DomainError {
  readonly code = 'UNAUTHORIZED';
  constructor(message = 'A valid bearer token is required') {
    super(message);
  }
}

/** The database is unreachable or a lock could not be had in time: the client should retry. */
export class ServiceUnavailableError extends DomainError {
  readonly code = 'SERVICE_UNAVAILABLE';
  constructor(message = 'The service is temporarily unavailable; retry shortly') {
    super(message);
  }
}
