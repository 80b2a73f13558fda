import { DomainError } from '../../../../common/errors/domain-error';

export class CouponSoldOutError extends DomainError {
  static readonly code = 'COUPON_SOLD_OUT';
  static readonly status = 409;
  static readonly description = "all of the coupon's quantity is issued";
  static override example() {
    return new CouponSoldOutError(1);
  }

  constructor(readonly couponId: number) {
    super(`All of coupon ${couponId} has been issued`);
  }
}
