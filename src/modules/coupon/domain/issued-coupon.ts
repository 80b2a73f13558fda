import { DAY_MS } from '../../../common/clock/durations';
import { CouponTerms } from './coupon-terms';
import { CouponNotUsableError } from './errors/coupon-not-usable.error';

/** What is stored: a coupon is either still available or used. */
export const STORED_ISSUED_COUPON_STATUSES = ['AVAILABLE', 'USED'] as const;
export type StoredIssuedCouponStatus = (typeof STORED_ISSUED_COUPON_STATUSES)[number];

/** What is read: an AVAILABLE coupon at or past its `expiresAt` reads as EXPIRED. */
export const ISSUED_COUPON_STATUSES = ['AVAILABLE', 'USED', 'EXPIRED'] as const;
export type IssuedCouponStatus = (typeof ISSUED_COUPON_STATUSES)[number];

export interface IssuedCouponProps {
  id: number;
  couponId: number;
  userId: number;
  status: StoredIssuedCouponStatus;
  issuedAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

/** A copy not saved yet: what `Coupon.issueTo` makes and `CouponRepository.insertIssued` stores. */
export type NewIssuedCoupon = Omit<IssuedCouponProps, 'id'>;

/** One user's copy of a coupon: who holds it, until when, and whether it has been used. */
export class IssuedCoupon {
  readonly id: number;
  readonly couponId: number;
  readonly userId: number;
  private _status: StoredIssuedCouponStatus;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  private _usedAt: Date | null;

  constructor(props: IssuedCouponProps) {
    this.id = props.id;
    this.couponId = props.couponId;
    this.userId = props.userId;
    this._status = props.status;
    this.issuedAt = props.issuedAt;
    this.expiresAt = props.expiresAt;
    this._usedAt = props.usedAt;
  }

  /** A new copy, valid for `validDays` days from `now`. */
  static issue(couponId: number, userId: number, validDays: number, now: Date): NewIssuedCoupon {
    return {
      couponId,
      userId,
      status: 'AVAILABLE',
      issuedAt: now,
      expiresAt: new Date(now.getTime() + validDays * DAY_MS),
      usedAt: null,
    };
  }

  get storedStatus(): StoredIssuedCouponStatus {
    return this._status;
  }

  get usedAt(): Date | null {
    return this._usedAt;
  }

  /** Expired from `expiresAt` on (the SQL status filter uses the same rule: expires_at <= now). */
  isExpiredAt(now: Date): boolean {
    return this.expiresAt.getTime() <= now.getTime();
  }

  statusAt(now: Date): IssuedCouponStatus {
    if (this._status === 'USED') return 'USED';
    return this.isExpiredAt(now) ? 'EXPIRED' : 'AVAILABLE';
  }

  /**
   * The discount (KRW) this coupon would give an order of `orderAmount` for `userId`; throws
   * COUPON_NOT_USABLE when it is not theirs, used, expired, or the order is below its minimum.
   */
  discountFor(terms: CouponTerms, userId: number, orderAmount: number, now: Date): number {
    if (userId !== this.userId) throw new CouponNotUsableError('it belongs to another user');
    if (this._status === 'USED') throw new CouponNotUsableError('it has already been used');
    if (this.isExpiredAt(now)) {
      throw new CouponNotUsableError(`it expired at ${this.expiresAt.toISOString()}`);
    }
    return terms.discountFor(orderAmount);
  }

  /**
   * Uses the coupon on an order of `orderAmount` for `userId`; returns the discount (KRW).
   * Nothing changes when a rule fails.
   */
  use(terms: CouponTerms, userId: number, orderAmount: number, now: Date): number {
    const discount = this.discountFor(terms, userId, orderAmount, now);
    this._status = 'USED';
    this._usedAt = now;
    return discount;
  }

  /**
   * Makes a used coupon available again (its order was cancelled or expired). Returns whether
   * anything changed. An expired coupon then reads as EXPIRED.
   */
  restore(): boolean {
    if (this._status !== 'USED') return false;
    this._status = 'AVAILABLE';
    this._usedAt = null;
    return true;
  }
}
