import { Injectable } from '@nestjs/common';
import { Actor } from '../../../common/auth/actor';
import { Clock } from '../../../common/clock/clock';
import { TransactionRunner } from '../../../common/database/transaction-runner';
import { Metrics } from '../../../common/metrics/metrics';
import { Coupon, CouponDraft } from '../domain/coupon';
import { CouponRepository } from '../domain/coupon.repository';
import { CouponAlreadyIssuedError } from '../domain/errors/coupon-already-issued.error';
import { CouponNotFoundError } from '../domain/errors/coupon-not-found.error';
import { IssuedCouponNotFoundError } from '../domain/errors/issued-coupon-not-found.error';
import { IssuedCouponStatus } from '../domain/issued-coupon';
import { couponIssueOutcome } from './coupon-issue-outcome';
import { IssuedCouponView } from './issued-coupon.view';

export interface CouponDiscount {
  /** KRW taken off the order; never more than the order amount. */
  discountAmount: number;
}

@Injectable()
export class CouponService {
  constructor(
    private readonly coupons: CouponRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {}

  async create(draft: CouponDraft): Promise<Coupon> {
    return this.coupons.create(Coupon.validateNew(draft), this.clock.now());
  }

  async get(id: number): Promise<Coupon> {
    const coupon = await this.coupons.findById(id);
    if (!coupon) throw new CouponNotFoundError(id);
    return coupon;
  }

  /**
   * First come, first served. A plain read, before any transaction is opened, rejects what it
   * can (no such coupon, already held, outside the window, sold out) without queueing for the
   * coupon row lock; then one transaction of exactly three statements under the lock: lock the
   * coupon (and check again), insert the copy (the unique key backs "one per user"), write the
   * counter.
   */
  async issue(actor: Actor, userId: number, couponId: number): Promise<IssuedCouponView> {
    try {
      const issued = await this.issueOnce(actor, userId, couponId);
      this.metrics.couponIssues.inc({ outcome: 'issued' });
      return issued;
    } catch (error) {
      this.metrics.couponIssues.inc({ outcome: couponIssueOutcome(error) });
      throw error;
    }
  }

  private async issueOnce(
    actor: Actor,
    userId: number,
    couponId: number,
  ): Promise<IssuedCouponView> {
    actor.assertCanActFor(userId);
    const check = await this.coupons.findForIssue(couponId, userId);
    if (!check) throw new CouponNotFoundError(couponId);
    if (check.alreadyIssued) throw new CouponAlreadyIssuedError(couponId, userId);
    check.coupon.assertIssuableAt(this.clock.now());

    return this.transactions.run(async () => {
      const now = this.clock.now();
      const coupon = await this.coupons.findByIdForUpdate(couponId);
      if (!coupon) throw new CouponNotFoundError(couponId);
      const issued = await this.coupons.insertIssued(coupon.issueTo(userId, now));
      await this.coupons.saveIssuedQuantity(coupon);
      return { issuedCoupon: issued, terms: coupon.terms, status: issued.statusAt(now) };
    });
  }

  /** A user's issued coupons, newest first, optionally only those with the given status. */
  async listIssued(
    actor: Actor,
    userId: number,
    status?: IssuedCouponStatus,
  ): Promise<IssuedCouponView[]> {
    actor.assertCanActFor(userId);
    const now = this.clock.now();
    const found = await this.coupons.findIssuedByUser(userId, status ?? null, now);
    return found.map(({ issuedCoupon, terms }) => ({
      issuedCoupon,
      terms,
      status: issuedCoupon.statusAt(now),
    }));
  }

  /**
   * Rejects, with a plain read and before any lock, an issued coupon that `userId` could not use
   * on an order of `orderAmount`: missing, someone else's, used, expired, or below its minimum.
   * `useIssuedCoupon` checks again under the lock.
   */
  async assertUsable(issuedCouponId: number, userId: number, orderAmount: number): Promise<void> {
    const found = await this.coupons.findIssuedDetails(issuedCouponId);
    if (!found) throw new IssuedCouponNotFoundError(issuedCouponId);
    found.issuedCoupon.discountFor(found.terms, userId, orderAmount, this.clock.now());
  }

  /**
   * Uses an issued coupon on an order of `orderAmount` for `userId` and returns the discount.
   * Runs inside the caller's transaction (the order's): locks only the issued coupon row; the
   * coupon's terms never change, so they are read without a lock.
   */
  async useIssuedCoupon(
    issuedCouponId: number,
    userId: number,
    orderAmount: number,
  ): Promise<CouponDiscount> {
    this.transactions.requireTransaction();
    const issued = await this.coupons.findIssuedByIdForUpdate(issuedCouponId);
    if (!issued) throw new IssuedCouponNotFoundError(issuedCouponId);
    const terms = await this.coupons.findTerms(issued.couponId);
    if (!terms) throw new CouponNotFoundError(issued.couponId);
    const discountAmount = issued.use(terms, userId, orderAmount, this.clock.now());
    await this.coupons.saveIssuedState(issued);
    return { discountAmount };
  }

  /**
   * Makes a used coupon available again (its order was cancelled or expired), inside the caller's
   * transaction. An expired one then reads as EXPIRED. A coupon not in use is left as it is.
   */
  async restoreIssuedCoupon(issuedCouponId: number): Promise<void> {
    this.transactions.requireTransaction();
    const issued = await this.coupons.findIssuedByIdForUpdate(issuedCouponId);
    if (!issued) throw new IssuedCouponNotFoundError(issuedCouponId);
    if (issued.restore()) await this.coupons.saveIssuedState(issued);
  }
}
