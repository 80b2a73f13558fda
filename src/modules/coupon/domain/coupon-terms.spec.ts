import { ValidationFailedError } from '../../../common/errors/common.errors';
import { CouponTerms } from './coupon-terms';
import { CouponNotUsableError } from './errors/coupon-not-usable.error';

const fixed = (value: number, minOrderAmount = 0) =>
  new CouponTerms('fixed', 'FIXED', value, null, minOrderAmount);
const rate = (percent: number, cap: number | null = null, minOrderAmount = 0) =>
  new CouponTerms('rate', 'RATE', percent, cap, minOrderAmount);

describe('CouponTerms.discountFor', () => {
  describe('FIXED', () => {
    it('takes the value off', () => {
      expect(fixed(5_000).discountFor(30_000)).toBe(5_000);
    });

    it('never takes more than the order amount', () => {
      expect(fixed(5_000).discountFor(3_000)).toBe(3_000);
      expect(fixed(5_000).discountFor(5_000)).toBe(5_000);
    });

    it('gives 0 on a free order when there is no minimum', () => {
      expect(fixed(5_000).discountFor(0)).toBe(0);
    });
  });

  describe('RATE', () => {
    it('takes the percentage off', () => {
      expect(rate(10).discountFor(30_000)).toBe(3_000);
    });

    it('floors to whole KRW', () => {
      expect(rate(10).discountFor(12_345)).toBe(1_234);
      expect(rate(33).discountFor(999)).toBe(329); // 329.67
      expect(rate(1).discountFor(99)).toBe(0); // 0.99
    });

    it('is capped by maxDiscountAmount', () => {
      expect(rate(50, 10_000).discountFor(100_000)).toBe(10_000);
      expect(rate(50, 10_000).discountFor(20_000)).toBe(10_000);
      expect(rate(50, 10_000).discountFor(19_998)).toBe(9_999);
    });

    it('is uncapped without maxDiscountAmount', () => {
      expect(rate(50).discountFor(10_000_000)).toBe(5_000_000);
    });

    it('100% takes the whole order, never more', () => {
      expect(rate(100).discountFor(12_345)).toBe(12_345);
    });

    it('stays exact for amounts where amount * percent passes 2^53', () => {
      const amount = 9_007_199_254_740_991; // MAX_SAFE_INTEGER
      expect(rate(99).discountFor(amount)).toBe(Number((BigInt(amount) * 99n) / 100n));
      expect(rate(99).discountFor(amount)).toBeLessThanOrEqual(amount);
    });
  });

  describe('minimum order amount', () => {
    it('applies from exactly the minimum', () => {
      expect(fixed(1_000, 10_000).discountFor(10_000)).toBe(1_000);
      expect(rate(10, null, 10_000).discountFor(10_000)).toBe(1_000);
    });

    it('below the minimum the coupon is not usable (not a discount of 0)', () => {
      expect(() => fixed(1_000, 10_000).discountFor(9_999)).toThrow(CouponNotUsableError);
      expect(() => rate(10, null, 10_000).discountFor(0)).toThrow(CouponNotUsableError);
      expect(fixed(1_000, 10_000).isUsableFor(9_999)).toBe(false);
      expect(fixed(1_000, 10_000).isUsableFor(10_000)).toBe(true);
    });
  });

  it('rejects an order amount that is not a non-negative integer', () => {
    for (const amount of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) {
      expect(() => fixed(1_000).discountFor(amount)).toThrow(ValidationFailedError);
    }
  });
});
