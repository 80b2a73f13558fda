import { DomainError } from '../../../../common/errors/domain-error';

export class CouponNotIssuableError extends DomainError {
  readonly code = 'COUPON_NOT_ISSUABLE';
  constructor(
    readonly couponId: number,
    reason: string,
  ) {
    super(`Coupon ${couponId} cannot be issued now: ${reason}`);
  }
}
