import { DomainError } from '../../../../common/errors/domain-error';

export class CouponNotFoundError extends DomainError {
  readonly code = 'COUPON_NOT_FOUND';
  constructor(readonly couponId: number) {
    super(`Coupon ${couponId} does not exist`);
  }
}
