import { CouponTerms } from '../domain/coupon-terms';
import { IssuedCoupon, IssuedCouponStatus } from '../domain/issued-coupon';

/** An issued coupon as its holder reads it: with its coupon's terms and its status at read time. */
export interface IssuedCouponView {
  issuedCoupon: IssuedCoupon;
  terms: CouponTerms;
  status: IssuedCouponStatus;
}
