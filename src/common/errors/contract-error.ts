export interface ErrorDetail {
  field: string;
  reason: string;
}

/**
 * What an error class says about itself, as static members: the one place its code is defined.
 * The status table, the mapper and the API document all read these (see `error-code.ts`).
 */
export interface ErrorDefinition {
  readonly code: string;
  /** The HTTP status the code is answered with. */
  readonly status: number;
  /** When the code is answered (the contract's "when" column), for the API document. */
  readonly description: string;
  /** The message of an instance made without one. */
  readonly message?: string;
  /** A typical instance: its message and details are the API document's example. */
  example(): ContractError;
}

/**
 * Base of every error the HTTP contract lists. A subclass declares its code, status and
 * description as static members, and either a static default `message` or a constructor that
 * builds the message (with an `example()` to match); each instance carries its class's code and
 * status, and the global filter turns it into the standard error body.
 */
export abstract class ContractError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(
    message?: string,
    readonly details?: ErrorDetail[],
  ) {
    const definition = new.target as unknown as ErrorDefinition;
    // A refusal the contract lists is an answer, not a fault: no stack trace to capture (5-10
    // us each, on the hottest refusals: a sold-out coupon, an item out of stock). A 5xx keeps
    // its stack for the log.
    const stackTraceLimit = Error.stackTraceLimit;
    if (definition.status < 500) Error.stackTraceLimit = 0;
    super(message ?? definition.message);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = new.target.name;
    this.code = definition.code;
    this.status = definition.status;
  }

  /** The error with its default message; a class whose constructor takes arguments has its own. */
  static example(this: new () => ContractError): ContractError {
    return new this();
  }
}
