import { Coupon, NewCoupon } from './coupon';
import { CouponTerms } from './coupon-terms';
import { IssuedCoupon, IssuedCouponStatus, NewIssuedCoupon } from './issued-coupon';

/** The plain (non-locking) read that lets an issue request be rejected before the lock. */
export interface CouponIssueCheck {
  coupon: Coupon;
  /** Whether the user already holds a copy of this coupon. */
  alreadyIssued: boolean;
}

/** An issued coupon with the terms of its coupon, as its holder reads it. */
export interface IssuedCouponDetails {
  issuedCoupon: IssuedCoupon;
  terms: CouponTerms;
}

/**
 * Persistence port of the coupon module (tables `coupons` and `issued_coupons`).
 * Locking methods must run inside a transaction and lock one row by primary key.
 */
export abstract class CouponRepository {
  abstract create(coupon: NewCoupon, now: Date): Promise<Coupon>;
  abstract findById(id: number): Promise<Coupon | null>;
  /** One plain read: the coupon and whether `userId` already holds it; null if no such coupon. */
  abstract findForIssue(couponId: number, userId: number): Promise<CouponIssueCheck | null>;
  /** SELECT ... FOR UPDATE on the coupon row. */
  abstract findByIdForUpdate(id: number): Promise<Coupon | null>;
  /** Writes the coupon's issued quantity back. */
  abstract saveIssuedQuantity(coupon: Coupon): Promise<void>;
  /**
   * Stores a new issued coupon and returns it saved, with its id. A second copy for the same user
   * is refused by the unique key and reported as CouponAlreadyIssuedError.
   */
  abstract insertIssued(issued: NewIssuedCoupon): Promise<IssuedCoupon>;
  /**
   * Which of `userIds` already hold the coupon. Under the coupon's row lock this is exact: every
   * issue takes that lock first.
   */
  abstract findHolders(couponId: number, userIds: number[]): Promise<Set<number>>;
  /** Every user holding a copy of the coupon (plain read; once sold out this never changes). */
  abstract findAllHolders(couponId: number): Promise<number[]>;
  /**
   * Stores several new issued coupons of one coupon in one statement and returns them saved,
   * in the same order. The unique key still refuses a second copy for a user (the whole
   * statement fails: the caller's transaction rolls back).
   */
  abstract insertIssuedMany(issued: NewIssuedCoupon[]): Promise<IssuedCoupon[]>;
  /** Plain read of a coupon's terms (they never change once the coupon exists). */
  abstract findTerms(couponId: number): Promise<CouponTerms | null>;
  /** Plain read: an issued coupon with its coupon's terms, or null if there is no such issued coupon. */
  abstract findIssuedDetails(id: number): Promise<IssuedCouponDetails | null>;
  /** SELECT ... FOR UPDATE on the issued coupon row (and nothing else). */
  abstract findIssuedByIdForUpdate(id: number): Promise<IssuedCoupon | null>;
  /** Writes the status and used_at of an issued coupon back. */
  abstract saveIssuedState(issued: IssuedCoupon): Promise<void>;
  /**
   * A user's issued coupons, newest first (id descending); with `status`, only those that read as
   * that status at `now` (same rule as IssuedCoupon.statusAt).
   */
  abstract findIssuedByUser(
    userId: number,
    status: IssuedCouponStatus | null,
    now: Date,
  ): Promise<IssuedCouponDetails[]>;
}
