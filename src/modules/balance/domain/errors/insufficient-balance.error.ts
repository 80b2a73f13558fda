import { DomainError } from '../../../../common/errors/domain-error';

export class InsufficientBalanceError extends DomainError {
  readonly code = 'INSUFFICIENT_BALANCE';
  constructor(required: number, available: number) {
    super(`The balance is ${available} KRW; ${required} KRW is needed`);
  }
}
