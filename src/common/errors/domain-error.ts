import type { ErrorCode, ErrorDetail } from './error-code';

/**
 * Base of every rule violation the domain and application layers report.
 * It carries a contract error code; the global filter turns it into the HTTP answer.
 */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;

  constructor(
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}
