import { DomainError } from '../../../../common/errors/domain-error';

export class InsufficientBalanceError extends DomainError {
  static readonly code = 'INSUFFICIENT_BALANCE';
  static readonly status = 409;
  static readonly description = 'the balance is below the amount to pay; the order stays payable';
  static override example() {
    return new InsufficientBalanceError(168_000, 1_000);
  }

  constructor(required: number, available: number) {
    super(`The balance is ${available} KRW; ${required} KRW is needed`);
  }
}
