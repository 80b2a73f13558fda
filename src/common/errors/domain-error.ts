import { ContractError } from './contract-error';

/** A business rule said no: an invalid value, a missing product, too little stock or balance. */
export abstract class DomainError extends ContractError {}
