import { ValidationFailedError } from '../../../common/errors/common.errors';
import { CouponNotUsableError } from './errors/coupon-not-usable.error';

export const DISCOUNT_TYPES = ['FIXED', 'RATE'] as const;
/** FIXED: `discountValue` KRW off. RATE: `discountValue` percent off, floored to whole KRW. */
export type DiscountType = (typeof DISCOUNT_TYPES)[number];

/**
 * What a coupon takes off an order and from which order amount it applies: the part of a
 * coupon that a holder sees and an order uses. Immutable once the coupon exists.
 */
export class CouponTerms {
  constructor(
    readonly name: string,
    readonly discountType: DiscountType,
    readonly discountValue: number,
    /** RATE only: the largest discount in KRW; null for no cap. */
    readonly maxDiscountAmount: number | null,
    /** The smallest order amount (KRW) the coupon may be used on. */
    readonly minOrderAmount: number,
  ) {}

  isUsableFor(orderAmount: number): boolean {
    return orderAmount >= this.minOrderAmount;
  }

  /**
   * The KRW taken off an order of `orderAmount`; never more than the order itself.
   * Below the minimum order amount the coupon is not usable at all (not a discount of 0).
   */
  discountFor(orderAmount: number): number {
    if (!Number.isSafeInteger(orderAmount) || orderAmount < 0) {
      throw new ValidationFailedError([
        { field: 'orderAmount', reason: 'orderAmount must be a non-negative integer' },
      ]);
    }
    if (!this.isUsableFor(orderAmount)) {
      throw new CouponNotUsableError(
        `the order amount of ${orderAmount} KRW is below the coupon's minimum of ${this.minOrderAmount} KRW`,
      );
    }
    if (this.discountType === 'FIXED') return Math.min(this.discountValue, orderAmount);
    // BigInt keeps amount * percent exact even where it passes 2^53; the result is <= orderAmount.
    const rated = Number((BigInt(orderAmount) * BigInt(this.discountValue)) / 100n);
    return this.maxDiscountAmount === null ? rated : Math.min(rated, this.maxDiscountAmount);
  }
}
