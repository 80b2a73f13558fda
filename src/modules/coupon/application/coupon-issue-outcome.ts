import { ForbiddenError } from '../../../common/errors/common.errors';
import type { CouponIssueOutcome } from '../../../common/metrics/metrics';
import { CouponAlreadyIssuedError } from '../domain/errors/coupon-already-issued.error';
import { CouponNotFoundError } from '../domain/errors/coupon-not-found.error';
import { CouponNotIssuableError } from '../domain/errors/coupon-not-issuable.error';
import { CouponSoldOutError } from '../domain/errors/coupon-sold-out.error';

/** How an issue request that failed ended, for `coupon_issues_total{outcome}`. */
export function couponIssueOutcome(error: unknown): CouponIssueOutcome {
  if (error instanceof CouponSoldOutError) return 'sold_out';
  if (error instanceof CouponAlreadyIssuedError) return 'already_issued';
  if (error instanceof CouponNotIssuableError) return 'not_issuable';
  if (error instanceof CouponNotFoundError) return 'not_found';
  if (error instanceof ForbiddenError) return 'forbidden';
  return 'error';
}
