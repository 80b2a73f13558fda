import { ValidationFailedError } from '../../../common/errors/common.errors';
import { BalanceLimitExceededError } from './errors/balance-limit-exceeded.error';
import { InsufficientBalanceError } from './errors/insufficient-balance.error';

export interface BalanceLimits {
  /** Largest single charge. */
  chargeMax: number;
  /** Largest balance a user may hold. */
  balanceMax: number;
}

export type BalanceChangeType = 'CHARGE' | 'USE' | 'REFUND';

export interface BalanceProps {
  /** Its identity: a user has one balance (no row yet reads as 0). */
  userId: number;
  amount: number;
}

/** A user's KRW balance. */
export class Balance {
  readonly userId: number;
  private _amount: number;

  constructor(props: BalanceProps) {
    this.userId = props.userId;
    this._amount = props.amount;
  }

  get amount(): number {
    return this._amount;
  }

  /** Rejects a charge amount outside 1..chargeMax without needing the balance itself. */
  static assertChargeAmount(amount: number, limits: BalanceLimits): void {
    if (!Number.isSafeInteger(amount) || amount < 1 || amount > limits.chargeMax) {
      throw new ValidationFailedError([
        { field: 'amount', reason: `amount must be an integer from 1 to ${limits.chargeMax}` },
      ]);
    }
  }

  charge(amount: number, limits: BalanceLimits): void {
    Balance.assertChargeAmount(amount, limits);
    if (this._amount + amount > limits.balanceMax) {
      throw new BalanceLimitExceededError(amount, this._amount, limits.balanceMax);
    }
    this._amount += amount;
  }

  use(amount: number): void {
    assertPositive(amount);
    if (amount > this._amount) throw new InsufficientBalanceError(amount, this._amount);
    this._amount -= amount;
  }

  /**
   * Gives back money that was the user's: always succeeds, even where the balance then ends
   * above balanceMax (which limits charges only).
   */
  refund(amount: number): void {
    assertPositive(amount);
    this._amount += amount;
  }
}

function assertPositive(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 1) {
    throw new ValidationFailedError([
      { field: 'amount', reason: 'amount must be a positive integer' },
    ]);
  }
}
