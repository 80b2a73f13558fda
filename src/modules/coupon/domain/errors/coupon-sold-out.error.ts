import { DomainError } from '../../../../common/errors/domain-error';

export class CouponSoldOutError extends DomainError {
  readonly code = 'COUPON_SOLD_OUT';
  constructor(readonly couponId: number) {
    super(`All of coupon ${couponId} has been issued`);
  }
}
