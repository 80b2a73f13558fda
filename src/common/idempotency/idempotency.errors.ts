import { ApplicationError } from '../errors/application-error';

export class IdempotencyKeyInProgressError extends ApplicationError {
  static readonly code = 'IDEMPOTENCY_KEY_IN_PROGRESS';
  static readonly status = 409;
  static readonly description = 'a request with the same Idempotency-Key is still being processed';
  static readonly message =
    'A request with this Idempotency-Key is still being processed; retry shortly';
}

export class IdempotencyKeyReusedError extends ApplicationError {
  static readonly code = 'IDEMPOTENCY_KEY_REUSED';
  static readonly status = 422;
  static readonly description = 'the Idempotency-Key was already used with a different request';
  static readonly message = 'This Idempotency-Key was already used with a different request';
}
