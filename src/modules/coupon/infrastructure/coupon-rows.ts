import { Coupon } from '../domain/coupon';
import { CouponTerms, DiscountType } from '../domain/coupon-terms';
import { IssuedCoupon, StoredIssuedCouponStatus } from '../domain/issued-coupon';

/** The columns of `coupons` as mysql2 returns them. */
export interface CouponRow {
  id: number;
  name: string;
  discount_type: DiscountType;
  discount_value: number;
  max_discount_amount: number | null;
  min_order_amount: number;
  total_quantity: number;
  issued_quantity: number;
  issue_starts_at: Date | null;
  issue_ends_at: Date | null;
  valid_days: number;
  created_at: Date;
}

export type CouponTermsRow = Pick<
  CouponRow,
  'name' | 'discount_type' | 'discount_value' | 'max_discount_amount' | 'min_order_amount'
>;

/** The columns of `issued_coupons` as mysql2 returns them. */
export interface IssuedCouponRow {
  id: number;
  coupon_id: number;
  user_id: number;
  status: StoredIssuedCouponStatus;
  issued_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

export const COUPON_COLUMNS =
  'id, name, discount_type, discount_value, max_discount_amount, min_order_amount, total_quantity, ' +
  'issued_quantity, issue_starts_at, issue_ends_at, valid_days, created_at';

export const COUPON_TERMS_COLUMNS =
  'name, discount_type, discount_value, max_discount_amount, min_order_amount';

export const ISSUED_COUPON_COLUMNS =
  'id, coupon_id, user_id, status, issued_at, expires_at, used_at';

const nullableNumber = (value: number | null): number | null =>
  value === null ? null : Number(value);

export const toCoupon = (row: CouponRow): Coupon =>
  new Coupon({
    id: Number(row.id),
    name: row.name,
    discountType: row.discount_type,
    discountValue: Number(row.discount_value),
    maxDiscountAmount: nullableNumber(row.max_discount_amount),
    minOrderAmount: Number(row.min_order_amount),
    totalQuantity: Number(row.total_quantity),
    issuedQuantity: Number(row.issued_quantity),
    issueStartsAt: row.issue_starts_at,
    issueEndsAt: row.issue_ends_at,
    validDays: Number(row.valid_days),
    createdAt: row.created_at,
  });

export const toCouponTerms = (row: CouponTermsRow): CouponTerms =>
  new CouponTerms(
    row.name,
    row.discount_type,
    Number(row.discount_value),
    nullableNumber(row.max_discount_amount),
    Number(row.min_order_amount),
  );

export const toIssuedCoupon = (row: IssuedCouponRow): IssuedCoupon =>
  new IssuedCoupon({
    id: Number(row.id),
    couponId: Number(row.coupon_id),
    userId: Number(row.user_id),
    status: row.status,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
  });
