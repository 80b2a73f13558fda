import { ValidationFailedError } from '../../../common/errors/common.errors';
import { CouponTerms } from './coupon-terms';
import { CouponNotUsableError } from './errors/coupon-not-usable.error';
import { DAY_MS } from '../../../common/clock/durations';
import { IssuedCoupon } from './issued-coupon';

const ISSUED_AT = new Date('2026-11-01T00:00:00.000Z');
const terms = new CouponTerms('10% off', 'RATE', 10, 5_000, 10_000);

const issued = (overrides: Partial<ConstructorParameters<typeof IssuedCoupon>[0]> = {}) =>
  new IssuedCoupon({
    id: 7,
    couponId: 1,
    userId: 42,
    status: 'AVAILABLE',
    issuedAt: ISSUED_AT,
    expiresAt: new Date(ISSUED_AT.getTime() + 30 * DAY_MS),
    usedAt: null,
    ...overrides,
  });

const at = (offsetMs: number) => new Date(ISSUED_AT.getTime() + offsetMs);

describe('IssuedCoupon', () => {
  describe('issue', () => {
    it('is AVAILABLE and expires validDays days after it was issued', () => {
      const coupon = IssuedCoupon.issue(1, 42, 30, ISSUED_AT);
      expect(coupon.status).toBe('AVAILABLE');
      expect(coupon.issuedAt).toEqual(ISSUED_AT);
      expect(coupon.expiresAt.toISOString()).toBe('2026-12-01T00:00:00.000Z');
      expect(coupon.usedAt).toBeNull();
    });

    it('is a copy not saved yet: no id; saved, it has the one the database gave it', () => {
      const copy = IssuedCoupon.issue(1, 42, 30, ISSUED_AT);
      expect(copy).not.toHaveProperty('id');
      expect(new IssuedCoupon({ ...copy, id: 9 }).id).toBe(9);
    });
  });

  describe('statusAt', () => {
    it('AVAILABLE before expiresAt, EXPIRED from expiresAt on', () => {
      const coupon = issued();
      expect(coupon.statusAt(at(30 * DAY_MS - 1))).toBe('AVAILABLE');
      expect(coupon.statusAt(at(30 * DAY_MS))).toBe('EXPIRED');
      expect(coupon.statusAt(at(365 * DAY_MS))).toBe('EXPIRED');
    });

    it('USED stays USED after expiry', () => {
      expect(issued({ status: 'USED', usedAt: at(1) }).statusAt(at(365 * DAY_MS))).toBe('USED');
    });
  });

  describe('use', () => {
    it('marks it USED at now and returns the discount', () => {
      const coupon = issued();
      const now = at(DAY_MS);
      expect(coupon.use(terms, 42, 30_000, now)).toBe(3_000);
      expect(coupon.storedStatus).toBe('USED');
      expect(coupon.usedAt).toEqual(now);
      expect(coupon.statusAt(now)).toBe('USED');
    });

    it('returns a capped discount', () => {
      expect(issued().use(terms, 42, 1_000_000, at(DAY_MS))).toBe(5_000);
    });

    it.each([
      ['of another user', () => issued().use(terms, 43, 30_000, at(DAY_MS))],
      [
        'already used',
        () => issued({ status: 'USED', usedAt: at(1) }).use(terms, 42, 30_000, at(DAY_MS)),
      ],
      ['expired', () => issued().use(terms, 42, 30_000, at(30 * DAY_MS))],
      ['below the minimum order amount', () => issued().use(terms, 42, 9_999, at(DAY_MS))],
    ])('is not usable when %s, and nothing changes', (_, attempt) => {
      expect(attempt).toThrow(CouponNotUsableError);
    });

    it('leaves the coupon unchanged when a rule fails', () => {
      const coupon = issued();
      expect(() => coupon.use(terms, 42, 9_999, at(DAY_MS))).toThrow(CouponNotUsableError);
      expect(() => coupon.use(terms, 42, -5, at(DAY_MS))).toThrow(ValidationFailedError);
      expect(coupon.storedStatus).toBe('AVAILABLE');
      expect(coupon.usedAt).toBeNull();
    });

    it('is usable once only', () => {
      const coupon = issued();
      coupon.use(terms, 42, 30_000, at(DAY_MS));
      expect(() => coupon.use(terms, 42, 30_000, at(DAY_MS))).toThrow(CouponNotUsableError);
    });
  });

  describe('restore', () => {
    it('makes a used coupon AVAILABLE again', () => {
      const coupon = issued({ status: 'USED', usedAt: at(1) });
      expect(coupon.restore()).toBe(true);
      expect(coupon.storedStatus).toBe('AVAILABLE');
      expect(coupon.usedAt).toBeNull();
      expect(coupon.statusAt(at(DAY_MS))).toBe('AVAILABLE');
    });

    it('a restored coupon past its expiry reads as EXPIRED', () => {
      const coupon = issued({ status: 'USED', usedAt: at(1) });
      coupon.restore();
      expect(coupon.statusAt(at(31 * DAY_MS))).toBe('EXPIRED');
    });

    it('leaves an unused coupon alone', () => {
      const coupon = issued();
      expect(coupon.restore()).toBe(false);
      expect(coupon.storedStatus).toBe('AVAILABLE');
    });
  });
});
