import { DomainError } from '../../../../common/errors/domain-error';

export class IssuedCouponNotFoundError extends DomainError {
  readonly code = 'ISSUED_COUPON_NOT_FOUND';
  constructor(readonly issuedCouponId: number) {
    super(`Issued coupon ${issuedCouponId} does not exist`);
  }
}
