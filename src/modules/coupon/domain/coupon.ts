import { ValidationFailedError } from '../../../common/errors/common.errors';
import type { ErrorDetail } from '../../../common/errors/contract-error';
import { CouponTerms, DISCOUNT_TYPES, DiscountType } from './coupon-terms';
import { CouponNotIssuableError } from './errors/coupon-not-issuable.error';
import { CouponSoldOutError } from './errors/coupon-sold-out.error';
import { IssuedCoupon, NewIssuedCoupon } from './issued-coupon';

export const COUPON_NAME_MAX_LENGTH = 100;
/** FIXED: KRW off. */
export const FIXED_DISCOUNT_MAX = 1_000_000_000;
/** RATE: percent off. */
export const RATE_DISCOUNT_MAX = 100;
/** Upper bound of maxDiscountAmount and minOrderAmount (KRW). */
export const COUPON_AMOUNT_MAX = 1_000_000_000;
export const COUPON_QUANTITY_MAX = 10_000_000;
export const COUPON_VALID_DAYS_MAX = 3650;
export const NO_CONTROL_CHARACTERS = /^[^\p{Cc}\p{Cs}]*$/u;
/** The issue window's bounds: the instants a DATETIME column holds (years 1000 to 9999, UTC). */
export const COUPON_WINDOW_EARLIEST = new Date('1000-01-01T00:00:00.000Z');
export const COUPON_WINDOW_LATEST = new Date('9999-12-31T23:59:59.999Z');

/** A coupon as an administrator describes it; optional fields take their defaults. */
export interface CouponDraft {
  name: string;
  discountType: DiscountType;
  discountValue: number;
  maxDiscountAmount?: number | null;
  minOrderAmount?: number | null;
  totalQuantity: number;
  issueStartsAt?: Date | null;
  issueEndsAt?: Date | null;
  validDays: number;
}

/**
 * A coupon not saved yet: the checked, normalised draft that `Coupon.validateNew` returns and
 * `CouponRepository.create` stores.
 */
export interface NewCoupon {
  name: string;
  discountType: DiscountType;
  discountValue: number;
  maxDiscountAmount: number | null;
  minOrderAmount: number;
  totalQuantity: number;
  issueStartsAt: Date | null;
  issueEndsAt: Date | null;
  validDays: number;
}

export interface CouponProps extends NewCoupon {
  id: number;
  issuedQuantity: number;
  createdAt: Date;
}

/**
 * A first-come coupon: its discount terms, how many may be issued and when, and how long an
 * issued copy stays valid. `issuedQuantity` never exceeds `totalQuantity`.
 */
export class Coupon {
  readonly id: number;
  readonly terms: CouponTerms;
  readonly totalQuantity: number;
  private _issuedQuantity: number;
  /** Issuing opens at this instant (inclusive); null: open from creation. */
  readonly issueStartsAt: Date | null;
  /** Issuing closes at this instant (exclusive); null: never closes. */
  readonly issueEndsAt: Date | null;
  readonly validDays: number;
  readonly createdAt: Date;

  constructor(props: CouponProps) {
    this.id = props.id;
    this.terms = new CouponTerms(
      props.name,
      props.discountType,
      props.discountValue,
      props.maxDiscountAmount,
      props.minOrderAmount,
    );
    this.totalQuantity = props.totalQuantity;
    this._issuedQuantity = props.issuedQuantity;
    this.issueStartsAt = props.issueStartsAt;
    this.issueEndsAt = props.issueEndsAt;
    this.validDays = props.validDays;
    this.createdAt = props.createdAt;
  }

  get name(): string {
    return this.terms.name;
  }

  get issuedQuantity(): number {
    return this._issuedQuantity;
  }

  get remainingQuantity(): number {
    return this.totalQuantity - this._issuedQuantity;
  }

  /** Checks every field of a new coupon; returns it normalised (name trimmed, defaults applied). */
  static validateNew(draft: CouponDraft): NewCoupon {
    const problems: ErrorDetail[] = [];
    const name = typeof draft.name === 'string' ? draft.name.trim() : '';
    const nameLength = [...name].length;
    if (nameLength === 0 || nameLength > COUPON_NAME_MAX_LENGTH) {
      problems.push({
        field: 'name',
        reason: `name must be 1-${COUPON_NAME_MAX_LENGTH} characters`,
      });
    } else if (!NO_CONTROL_CHARACTERS.test(name)) {
      problems.push({ field: 'name', reason: 'name must not contain control characters' });
    }

    const type = draft.discountType;
    if (!DISCOUNT_TYPES.includes(type)) {
      problems.push({
        field: 'discountType',
        reason: `discountType must be one of ${DISCOUNT_TYPES.join(', ')}`,
      });
    } else if (type === 'FIXED' && !isIntIn(draft.discountValue, 1, FIXED_DISCOUNT_MAX)) {
      problems.push({
        field: 'discountValue',
        reason: `a FIXED discountValue is KRW off: an integer from 1 to ${FIXED_DISCOUNT_MAX}`,
      });
    } else if (type === 'RATE' && !isIntIn(draft.discountValue, 1, RATE_DISCOUNT_MAX)) {
      problems.push({
        field: 'discountValue',
        reason: `a RATE discountValue is a percentage: an integer from 1 to ${RATE_DISCOUNT_MAX}`,
      });
    }

    const maxDiscountAmount = draft.maxDiscountAmount ?? null;
    if (maxDiscountAmount !== null) {
      if (!isIntIn(maxDiscountAmount, 1, COUPON_AMOUNT_MAX)) {
        problems.push({
          field: 'maxDiscountAmount',
          reason: `maxDiscountAmount must be an integer from 1 to ${COUPON_AMOUNT_MAX}`,
        });
      } else if (type === 'FIXED') {
        problems.push({
          field: 'maxDiscountAmount',
          reason: 'maxDiscountAmount caps RATE coupons only; leave it out for a FIXED coupon',
        });
      }
    }

    const minOrderAmount = draft.minOrderAmount ?? 0;
    if (!isIntIn(minOrderAmount, 0, COUPON_AMOUNT_MAX)) {
      problems.push({
        field: 'minOrderAmount',
        reason: `minOrderAmount must be an integer from 0 to ${COUPON_AMOUNT_MAX}`,
      });
    }
    if (!isIntIn(draft.totalQuantity, 1, COUPON_QUANTITY_MAX)) {
      problems.push({
        field: 'totalQuantity',
        reason: `totalQuantity must be an integer from 1 to ${COUPON_QUANTITY_MAX}`,
      });
    }
    if (!isIntIn(draft.validDays, 1, COUPON_VALID_DAYS_MAX)) {
      problems.push({
        field: 'validDays',
        reason: `validDays must be an integer from 1 to ${COUPON_VALID_DAYS_MAX}`,
      });
    }

    const issueStartsAt = draft.issueStartsAt ?? null;
    const issueEndsAt = draft.issueEndsAt ?? null;
    const startsValid = issueStartsAt === null || isWindowInstant(issueStartsAt);
    const endsValid = issueEndsAt === null || isWindowInstant(issueEndsAt);
    if (!startsValid)
      problems.push({ field: 'issueStartsAt', reason: windowReason('issueStartsAt') });
    if (!endsValid) problems.push({ field: 'issueEndsAt', reason: windowReason('issueEndsAt') });
    if (
      startsValid &&
      endsValid &&
      issueStartsAt !== null &&
      issueEndsAt !== null &&
      issueEndsAt.getTime() <= issueStartsAt.getTime()
    ) {
      problems.push({ field: 'issueEndsAt', reason: 'issueEndsAt must be after issueStartsAt' });
    }

    if (problems.length > 0) throw new ValidationFailedError(problems);
    return {
      name,
      discountType: type,
      discountValue: draft.discountValue,
      maxDiscountAmount,
      minOrderAmount,
      totalQuantity: draft.totalQuantity,
      issueStartsAt,
      issueEndsAt,
      validDays: draft.validDays,
    };
  }

  isSoldOut(): boolean {
    return this._issuedQuantity >= this.totalQuantity;
  }

  /** Throws if no copy could be issued at `now`: outside [issueStartsAt, issueEndsAt), or sold out. */
  assertIssuableAt(now: Date): void {
    if (this.issueStartsAt !== null && now.getTime() < this.issueStartsAt.getTime()) {
      throw new CouponNotIssuableError(
        this.id,
        `issuing opens at ${this.issueStartsAt.toISOString()}`,
      );
    }
    if (this.issueEndsAt !== null && now.getTime() >= this.issueEndsAt.getTime()) {
      throw new CouponNotIssuableError(
        this.id,
        `issuing closed at ${this.issueEndsAt.toISOString()}`,
      );
    }
    if (this.isSoldOut()) throw new CouponSoldOutError(this.id);
  }

  /** Issues one copy to `userId`: checks the window and the quantity, then counts it. */
  issueTo(userId: number, now: Date): NewIssuedCoupon {
    this.assertIssuableAt(now);
    this._issuedQuantity += 1;
    return IssuedCoupon.issue(this.id, userId, this.validDays, now);
  }

  /** The KRW this coupon takes off an order of `orderAmount` (see CouponTerms.discountFor). */
  discountFor(orderAmount: number): number {
    return this.terms.discountFor(orderAmount);
  }
}

function isIntIn(value: number, min: number, max: number): boolean {
  return Number.isSafeInteger(value) && value >= min && value <= max;
}

function isWindowInstant(value: Date): boolean {
  return (
    value instanceof Date &&
    value.getTime() >= COUPON_WINDOW_EARLIEST.getTime() &&
    value.getTime() <= COUPON_WINDOW_LATEST.getTime()
  );
}

const windowReason = (field: string) =>
  `${field} must be a valid date-time from ${COUPON_WINDOW_EARLIEST.toISOString()} to ${COUPON_WINDOW_LATEST.toISOString()} (UTC)`;
