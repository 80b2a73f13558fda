import { ValidationFailedError } from '../../../common/errors/common.errors';
import { Coupon, CouponDraft, CouponProps } from './coupon';
import { CouponNotIssuableError } from './errors/coupon-not-issuable.error';
import { CouponNotUsableError } from './errors/coupon-not-usable.error';
import { CouponSoldOutError } from './errors/coupon-sold-out.error';
import { DAY_MS } from '../../../common/clock/durations';

const NOW = new Date('2026-11-25T12:00:00.000Z');

const coupon = (overrides: Partial<CouponProps> = {}) =>
  new Coupon({
    id: 1,
    name: 'Welcome',
    discountType: 'FIXED',
    discountValue: 5_000,
    maxDiscountAmount: null,
    minOrderAmount: 0,
    totalQuantity: 3,
    issuedQuantity: 0,
    issueStartsAt: null,
    issueEndsAt: null,
    validDays: 7,
    createdAt: NOW,
    ...overrides,
  });

const draft = (overrides: Partial<CouponDraft> = {}): CouponDraft => ({
  name: 'Welcome',
  discountType: 'RATE',
  discountValue: 10,
  totalQuantity: 100,
  validDays: 30,
  ...overrides,
});

function problems(attempt: () => unknown): string[] {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationFailedError);
    return (error as ValidationFailedError).details!.map((detail) => detail.field);
  }
  throw new Error('expected a ValidationFailedError');
}

describe('Coupon', () => {
  describe('validateNew', () => {
    it('applies the defaults and trims the name', () => {
      expect(Coupon.validateNew(draft({ name: '  Welcome  ' }))).toEqual({
        name: 'Welcome',
        discountType: 'RATE',
        discountValue: 10,
        maxDiscountAmount: null,
        minOrderAmount: 0,
        totalQuantity: 100,
        issueStartsAt: null,
        issueEndsAt: null,
        validDays: 30,
      });
    });

    it('accepts the bounds', () => {
      expect(() =>
        Coupon.validateNew(
          draft({
            name: 'x'.repeat(100),
            discountType: 'FIXED',
            discountValue: 1_000_000_000,
            minOrderAmount: 1_000_000_000,
            totalQuantity: 10_000_000,
            validDays: 3650,
          }),
        ),
      ).not.toThrow();
      expect(() =>
        Coupon.validateNew(
          draft({ discountValue: 100, maxDiscountAmount: 1, totalQuantity: 1, validDays: 1 }),
        ),
      ).not.toThrow();
    });

    it('counts the name in characters, not UTF-16 units', () => {
      expect(() => Coupon.validateNew(draft({ name: '😀'.repeat(100) }))).not.toThrow();
      expect(problems(() => Coupon.validateNew(draft({ name: '😀'.repeat(101) })))).toEqual([
        'name',
      ]);
    });

    it.each<[string, Partial<CouponDraft>, string]>([
      ['a blank name', { name: '   ' }, 'name'],
      ['a name over 100 characters', { name: 'x'.repeat(101) }, 'name'],
      ['a name with a control character', { name: 'a\u0007b' }, 'name'],
      ['an unknown type', { discountType: 'PERCENT' as never }, 'discountType'],
      ['a FIXED value of 0', { discountType: 'FIXED', discountValue: 0 }, 'discountValue'],
      [
        'a FIXED value over 1,000,000,000',
        { discountType: 'FIXED', discountValue: 1_000_000_001 },
        'discountValue',
      ],
      ['a RATE over 100%', { discountValue: 101 }, 'discountValue'],
      ['a RATE of 0%', { discountValue: 0 }, 'discountValue'],
      ['a fractional RATE', { discountValue: 12.5 }, 'discountValue'],
      ['a cap of 0', { maxDiscountAmount: 0 }, 'maxDiscountAmount'],
      [
        'a cap on a FIXED coupon',
        { discountType: 'FIXED', discountValue: 100, maxDiscountAmount: 50 },
        'maxDiscountAmount',
      ],
      ['a negative minimum order', { minOrderAmount: -1 }, 'minOrderAmount'],
      ['a quantity of 0', { totalQuantity: 0 }, 'totalQuantity'],
      ['a quantity over 10,000,000', { totalQuantity: 10_000_001 }, 'totalQuantity'],
      ['0 valid days', { validDays: 0 }, 'validDays'],
      ['over 3650 valid days', { validDays: 3651 }, 'validDays'],
      ['an invalid start', { issueStartsAt: new Date('nope') }, 'issueStartsAt'],
      [
        'a start before year 1000 (a DATETIME column cannot hold it)',
        { issueStartsAt: new Date('0999-12-31T23:59:59.999Z') },
        'issueStartsAt',
      ],
      [
        'an end after year 9999',
        { issueEndsAt: new Date('9999-12-31T23:00:00-05:00') },
        'issueEndsAt',
      ],
      [
        'an end before the start',
        {
          issueStartsAt: new Date('2026-12-02T00:00:00Z'),
          issueEndsAt: new Date('2026-12-01T00:00:00Z'),
        },
        'issueEndsAt',
      ],
      [
        'an end equal to the start',
        {
          issueStartsAt: new Date('2026-12-01T00:00:00Z'),
          issueEndsAt: new Date('2026-12-01T00:00:00Z'),
        },
        'issueEndsAt',
      ],
    ])('rejects %s', (_, overrides, field) => {
      expect(problems(() => Coupon.validateNew(draft(overrides)))).toEqual([field]);
    });

    it('reports every bad field at once', () => {
      expect(
        problems(() => Coupon.validateNew(draft({ name: '', totalQuantity: 0, validDays: 0 }))),
      ).toEqual(['name', 'totalQuantity', 'validDays']);
    });
  });

  describe('quantities', () => {
    it('remaining = total - issued', () => {
      expect(coupon({ totalQuantity: 10, issuedQuantity: 4 }).remainingQuantity).toBe(6);
    });
  });

  describe('issueTo', () => {
    it('issues a copy valid for validDays and counts it', () => {
      const c = coupon();
      const issued = c.issueTo(42, NOW);
      expect(c.issuedQuantity).toBe(1);
      expect(c.remainingQuantity).toBe(2);
      expect(issued.couponId).toBe(1);
      expect(issued.userId).toBe(42);
      expect(issued.status).toBe('AVAILABLE');
      expect(issued.issuedAt).toEqual(NOW);
      expect(issued.expiresAt.getTime()).toBe(NOW.getTime() + 7 * DAY_MS);
    });

    it('issues exactly totalQuantity copies, then is sold out', () => {
      const c = coupon({ totalQuantity: 3 });
      for (const user of [1, 2, 3]) c.issueTo(user, NOW);
      expect(c.isSoldOut()).toBe(true);
      expect(() => c.issueTo(4, NOW)).toThrow(CouponSoldOutError);
      expect(c.issuedQuantity).toBe(3);
    });

    it('is not issuable before the window opens, from the start on it is', () => {
      const starts = new Date(NOW.getTime() + 1);
      expect(() => coupon({ issueStartsAt: starts }).issueTo(42, NOW)).toThrow(
        CouponNotIssuableError,
      );
      expect(() => coupon({ issueStartsAt: NOW }).issueTo(42, NOW)).not.toThrow();
    });

    it('is not issuable from the end of the window on', () => {
      expect(() => coupon({ issueEndsAt: NOW }).issueTo(42, NOW)).toThrow(CouponNotIssuableError);
      expect(() =>
        coupon({ issueEndsAt: new Date(NOW.getTime() + 1) }).issueTo(42, NOW),
      ).not.toThrow();
    });

    it('does not count a refused issue', () => {
      const c = coupon({ issueEndsAt: NOW });
      expect(() => c.issueTo(42, NOW)).toThrow(CouponNotIssuableError);
      expect(c.issuedQuantity).toBe(0);
    });

    it('reports a closed window before sold out', () => {
      const c = coupon({ totalQuantity: 1, issuedQuantity: 1, issueEndsAt: NOW });
      expect(() => c.assertIssuableAt(NOW)).toThrow(CouponNotIssuableError);
    });
  });

  describe('discountFor', () => {
    it('FIXED: min(value, order amount)', () => {
      expect(coupon({ discountValue: 5_000 }).discountFor(20_000)).toBe(5_000);
      expect(coupon({ discountValue: 5_000 }).discountFor(4_000)).toBe(4_000);
    });

    it('RATE: floored percentage, capped', () => {
      const rate = coupon({ discountType: 'RATE', discountValue: 15, maxDiscountAmount: 2_000 });
      expect(rate.discountFor(9_999)).toBe(1_499);
      expect(rate.discountFor(100_000)).toBe(2_000);
    });

    it('below the minimum order amount: not usable', () => {
      expect(() => coupon({ minOrderAmount: 10_000 }).discountFor(9_999)).toThrow(
        CouponNotUsableError,
      );
    });
  });
});
