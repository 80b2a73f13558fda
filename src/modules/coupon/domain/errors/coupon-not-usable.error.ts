import { DomainError } from '../../../../common/errors/domain-error';

/** Used, expired, someone else's, or the order is below the coupon's minimum amount. */
export class CouponNotUsableError extends DomainError {
  static readonly code = 'COUPON_NOT_USABLE';
  static readonly status = 409;
  static readonly description =
    "the coupon is used, expired, not the user's, or the order is below its minimum";
  static override example() {
    return new CouponNotUsableError('it has already been used');
  }

  constructor(readonly reason: string) {
    super(`The coupon cannot be used: ${reason}`);
  }
}
