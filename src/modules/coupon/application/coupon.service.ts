import { Injectable } from '@nestjs/common';
import { Actor } from '../../../common/auth/actor';
import { Clock } from '../../../common/clock/clock';
import { ProcessCaches } from '../../../common/cache/process-caches';
import { Coalescer, Settled } from '../../../common/concurrency/coalescer';
import { TransactionRunner } from '../../../common/database/transaction-runner';
import { Metrics } from '../../../common/metrics/metrics';
import { Coupon, CouponDraft } from '../domain/coupon';
import { CouponRepository } from '../domain/coupon.repository';
import { CouponAlreadyIssuedError } from '../domain/errors/coupon-already-issued.error';
import { CouponNotFoundError } from '../domain/errors/coupon-not-found.error';
import { IssuedCouponNotFoundError } from '../domain/errors/issued-coupon-not-found.error';
import { IssuedCoupon, IssuedCouponStatus, NewIssuedCoupon } from '../domain/issued-coupon';
import { couponIssueOutcome } from './coupon-issue-outcome';
import { SoldOutCoupons } from './sold-out-coupons';
import { IssuedCouponView } from './issued-coupon.view';

/** How long the first issue request of a batch waits for others to join it. */
const ISSUE_BATCH_WAIT_MS = 2;
/** The most issue requests one transaction serves. */
const ISSUE_BATCH_MAX = 200;

const refused = (error: unknown): { ok: false; error: unknown } => ({ ok: false, error });

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
    caches: ProcessCaches,
  ) {
    caches.register(() => this.soldOut.clear());
  }

  /** Coupons seen sold out under their lock in this process, with their holders. */
  private readonly soldOut = new SoldOutCoupons((couponId) =>
    this.coupons.findAllHolders(couponId),
  );
  private readonly issueBatches = new Coalescer<number, number, IssuedCouponView>(
    { maxWaitMs: ISSUE_BATCH_WAIT_MS, maxBatch: ISSUE_BATCH_MAX },
    (couponId, userIds) => this.issueBatch(couponId, userIds),
    (couponId, userId) => this.issueAlone(couponId, userId),
  );

  async create(draft: CouponDraft): Promise<Coupon> {
    return this.coupons.create(Coupon.validateNew(draft), this.clock.now());
  }

  async get(id: number): Promise<Coupon> {
    const coupon = await this.coupons.findById(id);
    if (!coupon) throw new CouponNotFoundError(id);
    return coupon;
  }

  /**
   * First come, first served, exact with any number of processes:
   *
   * - A coupon this process has seen sold out under its lock is answered from memory, exactly as
   *   the database would (see SoldOutCoupons).
   * - A plain read, before any transaction, rejects what it can (no such coupon, already held,
   *   outside the window, sold out) without queueing for the coupon row lock.
   * - The rest join the batch of their coupon (`Coalescer`: up to ISSUE_BATCH_MAX requests, the
   *   first waiting at most ISSUE_BATCH_WAIT_MS): one transaction locks the coupon row, grants
   *   k = min(remaining, waiting) copies in arrival order, writes them in one multi-row insert
   *   (the unique key still backs "one per user") and the counter once, and answers each request
   *   on its own. Processes contend on the same row lock, so the quantity holds across all of
   *   them. A batch that fails (a deadlock through its retries, a duplicate key) is never
   *   half-granted: its transaction rolls back and each request is retried alone.
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

  /** Whether this process has seen `couponId` sold out (for good: see SoldOutCoupons). */
  knowsSoldOut(couponId: number): boolean {
    return this.soldOut.knows(couponId);
  }

  /**
   * `issue`'s answer when it comes from memory (a coupon seen sold out), counted like any other
   * outcome; null when the request needs the database. The caller has checked the actor.
   */
  refusalFromMemory(userId: number, couponId: number): Error | null {
    const refusal = this.soldOut.refusal(couponId, userId);
    if (refusal) this.metrics.couponIssues.inc({ outcome: couponIssueOutcome(refusal) });
    return refusal;
  }

  private async issueOnce(
    actor: Actor,
    userId: number,
    couponId: number,
  ): Promise<IssuedCouponView> {
    actor.assertCanActFor(userId);
    const fromMemory = this.soldOut.refusal(couponId, userId);
    if (fromMemory) throw fromMemory;
    const check = await this.coupons.findForIssue(couponId, userId);
    if (!check) throw new CouponNotFoundError(couponId);
    if (check.alreadyIssued) throw new CouponAlreadyIssuedError(couponId, userId);
    check.coupon.assertIssuableAt(this.clock.now());
    return this.issueBatches.submit(couponId, userId);
  }

  /** One batch of issue requests for one coupon, in one transaction under its row lock. */
  private issueBatch(couponId: number, userIds: number[]): Promise<Settled<IssuedCouponView>[]> {
    return this.transactions.run(async () => {
      const now = this.clock.now();
      const coupon = await this.coupons.findByIdForUpdate(couponId);
      if (!coupon) return userIds.map(() => refused(new CouponNotFoundError(couponId)));
      if (coupon.isSoldOut()) this.soldOut.remember(couponId, coupon.totalQuantity); // committed state
      const holders = await this.coupons.findHolders(couponId, [...new Set(userIds)]);
      const outcomes: Array<Settled<NewIssuedCoupon>> = userIds.map((userId) => {
        if (holders.has(userId)) return refused(new CouponAlreadyIssuedError(couponId, userId));
        try {
          const granted = coupon.issueTo(userId, now);
          holders.add(userId); // a second request of the same user in this batch
          return { ok: true, value: granted };
        } catch (error) {
          return refused(error);
        }
      });
      const granted = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.value] : []));
      const saved = granted.length > 0 ? await this.coupons.insertIssuedMany(granted) : [];
      if (granted.length > 0) await this.coupons.saveIssuedQuantity(coupon);
      // Sold out by this batch's own grants: true once they are committed.
      if (coupon.isSoldOut()) {
        this.transactions.afterCommit(() => this.soldOut.remember(couponId, coupon.totalQuantity));
      }
      let next = 0;
      return outcomes.map((outcome) =>
        outcome.ok ? { ok: true, value: this.viewOf(saved[next++], coupon, now) } : outcome,
      );
    });
  }

  /** One request in its own transaction: the way back when its batch failed as a whole. */
  private issueAlone(couponId: number, userId: number): Promise<IssuedCouponView> {
    return this.transactions.run(async () => {
      const now = this.clock.now();
      const coupon = await this.coupons.findByIdForUpdate(couponId);
      if (!coupon) throw new CouponNotFoundError(couponId);
      if (coupon.isSoldOut()) this.soldOut.remember(couponId, coupon.totalQuantity); // committed state
      const issued = await this.coupons.insertIssued(coupon.issueTo(userId, now));
      await this.coupons.saveIssuedQuantity(coupon);
      return this.viewOf(issued, coupon, now);
    });
  }

  private viewOf(issued: IssuedCoupon, coupon: Coupon, now: Date): IssuedCouponView {
    return { issuedCoupon: issued, terms: coupon.terms, status: issued.statusAt(now) };
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
