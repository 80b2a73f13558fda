import { DomainError } from '../../../../common/errors/domain-error';

export class BalanceLimitExceededError extends DomainError {
  static readonly code = 'BALANCE_LIMIT_EXCEEDED';
  static readonly status = 409;
  static readonly description =
    'a charge would push the balance over BALANCE_MAX (default 1,000,000,000); refunds never do';
  static override example() {
    return new BalanceLimitExceededError(50_000, 999_990_000, 1_000_000_000);
  }

  constructor(amount: number, current: number, max: number) {
    super(
      `Adding ${amount} KRW to a balance of ${current} KRW would exceed the maximum of ${max} KRW`,
    );
  }
}
