import { DomainError } from '../../../../common/errors/domain-error';

export class CouponNotFoundError extends DomainError {
  static readonly code = 'COUPON_NOT_FOUND';
  static readonly status = 404;
  static readonly description = 'no coupon has this id';
  static override example() {
    return new CouponNotFoundError(1);
  }

  constructor(readonly couponId: number) {
    super(`Coupon ${couponId} does not exist`);
  }
}
