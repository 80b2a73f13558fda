import { DomainError } from '../../../../common/errors/domain-error';

export class CouponAlreadyIssuedError extends DomainError {
  static readonly code = 'COUPON_ALREADY_ISSUED';
  static readonly status = 409;
  static readonly description = 'the user already holds this coupon';
  static override example() {
    return new CouponAlreadyIssuedError(1, 1);
  }

  constructor(
    readonly couponId: number,
    readonly userId: number,
  ) {
    super(`User ${userId} already holds coupon ${couponId}`);
  }
}
