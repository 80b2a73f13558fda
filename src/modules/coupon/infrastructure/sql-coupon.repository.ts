import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../../common/database/transaction-runner';
import { isDuplicateKey } from '../../../common/database/mysql-errors';
import { placeholders } from '../../../common/database/sql-placeholders';
import { Coupon, NewCoupon } from '../domain/coupon';
import {
  CouponIssueCheck,
  CouponRepository,
  IssuedCouponDetails,
} from '../domain/coupon.repository';
import { CouponTerms } from '../domain/coupon-terms';
import { CouponAlreadyIssuedError } from '../domain/errors/coupon-already-issued.error';
import { IssuedCoupon, IssuedCouponStatus, NewIssuedCoupon } from '../domain/issued-coupon';
import {
  COUPON_COLUMNS,
  COUPON_TERMS_COLUMNS,
  CouponRow,
  CouponTermsRow,
  ISSUED_COUPON_COLUMNS,
  IssuedCouponRow,
  toCoupon,
  toCouponTerms,
  toIssuedCoupon,
} from './coupon-rows';

const ONE_COUPON_PER_USER_KEY = 'uq_issued_coupons_coupon_user';

/**
 * The status filter in SQL, the same rule as IssuedCoupon.statusAt: an AVAILABLE coupon whose
 * expires_at is at or before `now` reads as EXPIRED.
 */
function statusFilter(
  status: IssuedCouponStatus,
  now: Date,
): { sql: string; parameters: unknown[] } {
  switch (status) {
    case 'AVAILABLE':
      return { sql: "ic.status = 'AVAILABLE' AND ic.expires_at > ?", parameters: [now] };
    case 'EXPIRED':
      return { sql: "ic.status = 'AVAILABLE' AND ic.expires_at <= ?", parameters: [now] };
    case 'USED':
      return { sql: "ic.status = 'USED'", parameters: [] };
  }
}

type CouponCheckRow = CouponRow & { already_issued: number };
/** An issued coupon (`ic`) with the terms of its coupon (`c`). */
const ISSUED_DETAILS_COLUMNS =
  'ic.id, ic.coupon_id, ic.user_id, ic.status, ic.issued_at, ic.expires_at, ic.used_at, ' +
  'c.name, c.discount_type, c.discount_value, c.max_discount_amount, c.min_order_amount';
type IssuedCouponDetailsRow = IssuedCouponRow & CouponTermsRow;

/**
 * Every statement is one hand-written round trip: the issue path runs under the hottest lock of
 * the system (one coupon row for every user racing for it), so no ORM query building here.
 */
@Injectable()
export class SqlCouponRepository extends CouponRepository {
  constructor(private readonly db: TransactionRunner) {
    super();
  }

  async create(coupon: NewCoupon, now: Date): Promise<Coupon> {
    const result = await this.db.query<{ insertId: number }>(
      `INSERT INTO coupons (name, discount_type, discount_value, max_discount_amount, min_order_amount,
         total_quantity, issued_quantity, issue_starts_at, issue_ends_at, valid_days, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
      [
        coupon.name,
        coupon.discountType,
        coupon.discountValue,
        coupon.maxDiscountAmount,
        coupon.minOrderAmount,
        coupon.totalQuantity,
        coupon.issueStartsAt,
        coupon.issueEndsAt,
        coupon.validDays,
        now,
      ],
    );
    return new Coupon({
      ...coupon,
      id: Number(result.insertId),
      issuedQuantity: 0,
      createdAt: now,
    });
  }

  async findById(id: number): Promise<Coupon | null> {
    const [row] = await this.db.query<CouponRow[]>(
      `SELECT ${COUPON_COLUMNS} FROM coupons WHERE id = ?`,
      [id],
    );
    return row ? toCoupon(row) : null;
  }

  async findForIssue(couponId: number, userId: number): Promise<CouponIssueCheck | null> {
    const [row] = await this.db.query<CouponCheckRow[]>(
      `SELECT ${COUPON_COLUMNS},
              EXISTS (SELECT 1 FROM issued_coupons WHERE coupon_id = coupons.id AND user_id = ?) AS already_issued
         FROM coupons WHERE id = ?`,
      [userId, couponId],
    );
    return row ? { coupon: toCoupon(row), alreadyIssued: Number(row.already_issued) === 1 } : null;
  }

  async findByIdForUpdate(id: number): Promise<Coupon | null> {
    const [row] = await this.db.query<CouponRow[]>(
      `SELECT ${COUPON_COLUMNS} FROM coupons WHERE id = ? FOR UPDATE`,
      [id],
    );
    return row ? toCoupon(row) : null;
  }

  async saveIssuedQuantity(coupon: Coupon): Promise<void> {
    await this.db.query('UPDATE coupons SET issued_quantity = ? WHERE id = ?', [
      coupon.issuedQuantity,
      coupon.id,
    ]);
  }

  async findHolders(couponId: number, userIds: number[]): Promise<Set<number>> {
    if (userIds.length === 0) return new Set();
    const rows = await this.db.query<{ user_id: number }[]>(
      `SELECT user_id FROM issued_coupons WHERE coupon_id = ? AND user_id IN (${placeholders(userIds)})`,
      [couponId, ...userIds],
    );
    return new Set(rows.map((row) => Number(row.user_id)));
  }

  async findAllHolders(couponId: number): Promise<number[]> {
    const rows = await this.db.query<{ user_id: number }[]>(
      'SELECT user_id FROM issued_coupons WHERE coupon_id = ?',
      [couponId],
    );
    return rows.map((row) => Number(row.user_id));
  }

  async insertIssuedMany(issued: NewIssuedCoupon[]): Promise<IssuedCoupon[]> {
    if (issued.length === 0) return [];
    await this.db.query(
      `INSERT INTO issued_coupons (coupon_id, user_id, status, issued_at, expires_at, used_at) VALUES ?`,
      [issued.map((i) => [i.couponId, i.userId, i.status, i.issuedAt, i.expiresAt, i.usedAt])],
    );
    // The ids of a multi-row insert are consecutive only with some auto-increment lock modes:
    // read them back by the unique key (coupon_id, user_id).
    const rows = await this.db.query<{ id: number; user_id: number }[]>(
      `SELECT id, user_id FROM issued_coupons WHERE coupon_id = ? AND user_id IN (${placeholders(issued)})`,
      [issued[0].couponId, ...issued.map((i) => i.userId)],
    );
    const idOf = new Map(rows.map((row) => [Number(row.user_id), Number(row.id)]));
    return issued.map((i) => new IssuedCoupon({ ...i, id: idOf.get(i.userId)! }));
  }

  async insertIssued(issued: NewIssuedCoupon): Promise<IssuedCoupon> {
    try {
      const result = await this.db.query<{ insertId: number }>(
        `INSERT INTO issued_coupons (coupon_id, user_id, status, issued_at, expires_at, used_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
        [
          issued.couponId,
          issued.userId,
          issued.status,
          issued.issuedAt,
          issued.expiresAt,
          issued.usedAt,
        ],
      );
      return new IssuedCoupon({ ...issued, id: Number(result.insertId) });
    } catch (error) {
      if (isDuplicateKey(error, ONE_COUPON_PER_USER_KEY)) {
        throw new CouponAlreadyIssuedError(issued.couponId, issued.userId);
      }
      throw error;
    }
  }

  async findTerms(couponId: number): Promise<CouponTerms | null> {
    const [row] = await this.db.query<CouponTermsRow[]>(
      `SELECT ${COUPON_TERMS_COLUMNS} FROM coupons WHERE id = ?`,
      [couponId],
    );
    return row ? toCouponTerms(row) : null;
  }

  async findIssuedDetails(id: number): Promise<IssuedCouponDetails | null> {
    const [row] = await this.db.query<IssuedCouponDetailsRow[]>(
      `SELECT ${ISSUED_DETAILS_COLUMNS}
         FROM issued_coupons ic JOIN coupons c ON c.id = ic.coupon_id
        WHERE ic.id = ?`,
      [id],
    );
    return row ? { issuedCoupon: toIssuedCoupon(row), terms: toCouponTerms(row) } : null;
  }

  async findIssuedByIdForUpdate(id: number): Promise<IssuedCoupon | null> {
    const [row] = await this.db.query<IssuedCouponRow[]>(
      `SELECT ${ISSUED_COUPON_COLUMNS} FROM issued_coupons WHERE id = ? FOR UPDATE`,
      [id],
    );
    return row ? toIssuedCoupon(row) : null;
  }

  async saveIssuedState(issued: IssuedCoupon): Promise<void> {
    await this.db.query('UPDATE issued_coupons SET status = ?, used_at = ? WHERE id = ?', [
      issued.storedStatus,
      issued.usedAt,
      issued.id,
    ]);
  }

  async findIssuedByUser(
    userId: number,
    status: IssuedCouponStatus | null,
    now: Date,
  ): Promise<IssuedCouponDetails[]> {
    const filter = status ? statusFilter(status, now) : { sql: 'TRUE', parameters: [] };
    const rows = await this.db.query<IssuedCouponDetailsRow[]>(
      `SELECT ${ISSUED_DETAILS_COLUMNS}
         FROM issued_coupons ic
         JOIN coupons c ON c.id = ic.coupon_id
        WHERE ic.user_id = ? AND ${filter.sql}
        ORDER BY ic.id DESC`,
      [userId, ...filter.parameters],
    );
    return rows.map((row) => ({ issuedCoupon: toIssuedCoupon(row), terms: toCouponTerms(row) }));
  }
}
