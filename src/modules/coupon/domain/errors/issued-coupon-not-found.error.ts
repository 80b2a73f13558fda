import { DomainError } from '../../../../common/errors/domain-error';

export class IssuedCouponNotFoundError extends DomainError {
  static readonly code = 'ISSUED_COUPON_NOT_FOUND';
  static readonly status = 404;
  static readonly description = 'no issued coupon has this id';
  static override example() {
    return new IssuedCouponNotFoundError(10);
  }

  constructor(readonly issuedCouponId: number) {
    super(`Issued coupon ${issuedCouponId} does not exist`);
  }
}
