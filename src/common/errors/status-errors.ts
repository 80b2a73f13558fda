import { ApplicationError } from './application-error';
import {
  ForbiddenError,
  ServiceUnavailableError,
  UnauthorizedError,
  ValidationFailedError,
} from './common.errors';
import type { ContractError, ErrorDetail } from './contract-error';
import {
  PayloadTooLargeError,
  RouteNotFoundError,
  TooManyRequestsError,
  UnsupportedMediaTypeError,
} from './http.errors';

/** The errors a bare status stands for whose answer is a message alone. */
const MESSAGE_ONLY = [
  UnauthorizedError,
  ForbiddenError,
  RouteNotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  TooManyRequestsError,
  ServiceUnavailableError,
] as const;

/**
 * The contract's error each bare HTTP status stands for: what a status raised by Nest or
 * Fastify is answered as, and what a route names by its status (`@ApiErrors(403)`).
 */
export const STATUS_ERRORS = [ValidationFailedError, ...MESSAGE_ONLY] as const;

export type ErrorStatus = (typeof STATUS_ERRORS)[number]['status'];

const MESSAGE_ONLY_BY_STATUS = new Map<number, new (message: string) => ApplicationError>(
  MESSAGE_ONLY.map((error) => [error.status, error]),
);

/**
 * The contract's error for a status raised by Nest or Fastify, with `message`; a 400 names
 * `field` in its details. Null for a status the contract has no generic error for.
 */
export function errorForStatus(
  status: number,
  message: string,
  field: string,
): ContractError | null {
  if (status === ValidationFailedError.status) {
    const details: ErrorDetail[] = [{ field, reason: message }];
    return new ValidationFailedError(details, message);
  }
  const StatusError = MESSAGE_ONLY_BY_STATUS.get(status);
  return StatusError ? new StatusError(message) : null;
}
