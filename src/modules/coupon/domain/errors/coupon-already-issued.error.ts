import { DomainError } from '../../../../common/errors/domain-error';

export class CouponAlreadyIssuedError extends DomainError {
  readonly code = 'COUPON_ALREADY_ISSUED';
  constructor(
    readonly couponId: number,
    readonly userId: number,
  ) {
    super(`User ${userId} already holds coupon ${couponId}`);
  }
}
