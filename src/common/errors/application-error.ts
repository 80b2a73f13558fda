import { ContractError } from './contract-error';

/**
 * A refusal that is not a business rule: authentication, authorization, the transport (size,
 * media type, rate limit), an Idempotency-Key, or the infrastructure (the database away).
 */
export abstract class ApplicationError extends ContractError {}
