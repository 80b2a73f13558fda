import { DomainError } from '../../../../common/errors/domain-error';

/** Used, expired, someone else's, or the order is below the coupon's minimum amount. */
export class CouponNotUsableError extends DomainError {
  readonly code = 'COUPON_NOT_USABLE';
  constructor(readonly reason: string) {
    super(`The coupon cannot be used: ${reason}`);
  }
}
