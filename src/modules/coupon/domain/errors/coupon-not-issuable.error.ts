import { DomainError } from '../../../../common/errors/domain-error';

export class CouponNotIssuableError extends DomainError {
  static readonly code = 'COUPON_NOT_ISSUABLE';
  static readonly status = 409;
  static readonly description = "outside the coupon's issue window";
  static override example() {
    return new CouponNotIssuableError(1, 'issuing opens at 2026-12-01T00:00:00.000Z');
  }

  constructor(
    readonly couponId: number,
    reason: string,
  ) {
    super(`Coupon ${couponId} cannot be issued now: ${reason}`);
  }
}
