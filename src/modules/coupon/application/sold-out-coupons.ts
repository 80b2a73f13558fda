import { CouponAlreadyIssuedError } from '../domain/errors/coupon-already-issued.error';
import { CouponSoldOutError } from '../domain/errors/coupon-sold-out.error';

/** Above this many copies the holders are not kept in memory (the plain read answers instead). */
const MAX_REMEMBERED_HOLDERS = 100_000;

/**
 * Coupons this process has seen sold out under their row lock, with the users who hold them.
 * Sold out is for good (the issued count never goes down, the total never changes), and so is
 * the set of holders then (nobody can get a copy any more, and copies are never deleted): an
 * issue request for such a coupon is answered from memory, exactly as the database would answer
 * it: COUPON_ALREADY_ISSUED to a holder, COUPON_SOLD_OUT to everyone else.
 */
export class SoldOutCoupons {
  private readonly holders = new Map<number, Set<number>>();
  private readonly loading = new Set<number>();

  constructor(private readonly loadHolders: (couponId: number) => Promise<number[]>) {}

  knows(couponId: number): boolean {
    return this.holders.has(couponId);
  }

  /** The refusal for `userId`, or null when this coupon is not (yet) known to be sold out. */
  refusal(couponId: number, userId: number): Error | null {
    const holders = this.holders.get(couponId);
    if (!holders) return null;
    return holders.has(userId)
      ? new CouponAlreadyIssuedError(couponId, userId)
      : new CouponSoldOutError(couponId);
  }

  /** Forgets everything (see ProcessCaches). */
  clear(): void {
    this.holders.clear();
    this.loading.clear();
  }

  /** The coupon was seen sold out (committed state): load its holders once, in the background. */
  remember(couponId: number, totalQuantity: number): void {
    if (this.holders.has(couponId) || this.loading.has(couponId)) return;
    if (totalQuantity > MAX_REMEMBERED_HOLDERS) return;
    this.loading.add(couponId);
    this.loadHolders(couponId).then(
      (userIds) => {
        this.holders.set(couponId, new Set(userIds));
        this.loading.delete(couponId);
      },
      () => this.loading.delete(couponId), // tried again the next time it is seen sold out
    );
  }
}
