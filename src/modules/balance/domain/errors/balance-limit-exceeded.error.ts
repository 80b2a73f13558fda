import { DomainError } from '../../../../common/errors/domain-error';

export class BalanceLimitExceededError extends DomainError {
  readonly code = 'BALANCE_LIMIT_EXCEEDED';
  constructor(amount: number, current: number, max: number) {
    super(
      `Adding ${amount} KRW to a balance of ${current} KRW would exceed the maximum of ${max} KRW`,
    );
  }
}
