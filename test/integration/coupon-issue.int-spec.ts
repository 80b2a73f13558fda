import request from 'supertest';
import { Actor } from '../../src/common/auth/actor';
import { TransactionRunner } from '../../src/common/database/transaction-runner';
import { CouponService } from '../../src/modules/coupon/application/coupon.service';
import { CouponRepository } from '../../src/modules/coupon/domain/coupon.repository';
import { CouponAlreadyIssuedError } from '../../src/modules/coupon/domain/errors/coupon-already-issued.error';
import { IssuedCoupon } from '../../src/modules/coupon/domain/issued-coupon';
import { TestApp } from '../support/test-app';
import { useTwoTestApps } from '../support/use-test-app';

/**
 * Coupon issue and use against the real database. Every concurrency case runs on TWO application
 * instances (two pools) sharing one database, with requests alternated between them, as behind a
 * load balancer.
 */
describe('coupon issue and use (real database, two instances)', () => {
  const { a, b, either: instance } = useTwoTestApps();
  const ADMIN = 1;

  async function createCoupon(body: Record<string, unknown> = {}): Promise<number> {
    const response = await request(a.baseUrl)
      .post('/api/v1/coupons')
      .set(a.auth(ADMIN, { admin: true }))
      .send({
        name: 'First come',
        discountType: 'FIXED',
        discountValue: 5_000,
        totalQuantity: 50,
        validDays: 30,
        ...body,
      })
      .expect(201);
    return response.body.id as number;
  }

  const issue = (t: TestApp, userId: number, couponId: number) =>
    request(t.baseUrl)
      .post(`/api/v1/users/${userId}/coupons`)
      .set(t.auth(userId))
      .send({ couponId });

  async function couponState(couponId: number) {
    const [{ issued_quantity }] = await a.dataSource.query(
      'SELECT issued_quantity FROM coupons WHERE id = ?',
      [couponId],
    );
    const rows = await a.dataSource.query<{ user_id: number }[]>(
      'SELECT user_id FROM issued_coupons WHERE coupon_id = ? ORDER BY user_id',
      [couponId],
    );
    return {
      issuedQuantity: Number(issued_quantity),
      userIds: rows.map((row) => Number(row.user_id)),
    };
  }

  const codes = (responses: request.Response[]) => {
    const counts: Record<string, number> = {};
    for (const r of responses) {
      const key = r.status === 201 ? '201' : `${r.status} ${r.body.code}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  };

  describe('issue under concurrency', () => {
    it('200 distinct users race for 50: exactly 50 issued, 150 sold out', async () => {
      const couponId = await createCoupon({ totalQuantity: 50 });

      const responses = await Promise.all(
        Array.from({ length: 200 }, (_, i) => issue(instance(i), 1_000 + i, couponId)),
      );

      expect(codes(responses)).toEqual({ '201': 50, '409 COUPON_SOLD_OUT': 150 });
      const winners = responses
        .filter((r) => r.status === 201)
        .map((r) => r.body.userId as number)
        .sort((x, y) => x - y);
      const state = await couponState(couponId);
      expect(state.issuedQuantity).toBe(50);
      expect(state.userIds).toEqual(winners);
      expect(new Set(winners).size).toBe(50);
      const { body } = await request(b.baseUrl).get(`/api/v1/coupons/${couponId}`).expect(200);
      expect(body).toMatchObject({ totalQuantity: 50, issuedQuantity: 50, remainingQuantity: 0 });
    });

    it('one user fires 20 concurrent requests: exactly one issued, the rest already issued', async () => {
      const couponId = await createCoupon({ totalQuantity: 100 });

      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => issue(instance(i), 77, couponId)),
      );

      expect(codes(responses)).toEqual({ '201': 1, '409 COUPON_ALREADY_ISSUED': 19 });
      expect(await couponState(couponId)).toEqual({ issuedQuantity: 1, userIds: [77] });
    });

    it('60 users asking twice each for 30: never two per user, never more than 30', async () => {
      const couponId = await createCoupon({ totalQuantity: 30 });

      const responses = await Promise.all(
        Array.from({ length: 120 }, (_, i) => issue(instance(i), 2_000 + (i % 60), couponId)),
      );

      const counts = codes(responses);
      expect(counts['201']).toBe(30);
      expect(
        (counts['409 COUPON_SOLD_OUT'] ?? 0) + (counts['409 COUPON_ALREADY_ISSUED'] ?? 0),
      ).toBe(90);
      const state = await couponState(couponId);
      expect(state.issuedQuantity).toBe(30);
      expect(new Set(state.userIds).size).toBe(30);
    });

    it('the unique key backs "one per user": a duplicate insert is COUPON_ALREADY_ISSUED, not a 500', async () => {
      const couponId = await createCoupon();
      await issue(a, 5, couponId).expect(201);
      const repository = a.app.get(CouponRepository);
      const transactions = a.app.get(TransactionRunner);

      const duplicate = transactions.run(() =>
        repository.insertIssued(IssuedCoupon.issue(couponId, 5, 30, new Date())),
      );

      await expect(duplicate).rejects.toBeInstanceOf(CouponAlreadyIssuedError);
      expect(await couponState(couponId)).toEqual({ issuedQuantity: 1, userIds: [5] });
    });

    it('a refused request changes nothing', async () => {
      const couponId = await createCoupon({ totalQuantity: 1 });
      await issue(a, 5, couponId).expect(201);

      await issue(b, 6, couponId).expect(409);
      await issue(a, 5, couponId).expect(409);
      await issue(b, 7, 999_999).expect(404);

      expect(await couponState(couponId)).toEqual({ issuedQuantity: 1, userIds: [5] });
    });
  });

  describe('useIssuedCoupon / restoreIssuedCoupon (as the order module calls them)', () => {
    const USER = 42;
    let service: CouponService;
    let transactions: TransactionRunner;

    beforeEach(() => {
      service = a.app.get(CouponService);
      transactions = a.app.get(TransactionRunner);
    });

    async function issuedCoupon(
      body: Record<string, unknown> = {},
      userId = USER,
    ): Promise<number> {
      const couponId = await createCoupon({ minOrderAmount: 10_000, ...body });
      const view = await service.issue(new Actor(userId, false), userId, couponId);
      return view.issuedCoupon.id;
    }

    async function row(id: number) {
      const [found] = await a.dataSource.query<
        { status: string; used_at: Date | null; expires_at: Date }[]
      >('SELECT status, used_at, expires_at FROM issued_coupons WHERE id = ?', [id]);
      return found;
    }

    const use = (
      id: number,
      userId: number,
      orderAmount: number,
      svc = service,
      tx = transactions,
    ) => tx.run(() => svc.useIssuedCoupon(id, userId, orderAmount));

    it('marks it USED with used_at and returns the discount', async () => {
      const id = await issuedCoupon({
        discountType: 'RATE',
        discountValue: 15,
        maxDiscountAmount: 4_000,
      });
      const before = Date.now();

      await expect(use(id, USER, 20_000)).resolves.toEqual({ discountAmount: 3_000 });

      const stored = await row(id);
      expect(stored.status).toBe('USED');
      expect(stored.used_at!.getTime()).toBeGreaterThanOrEqual(before - 1_000);
      await expect(
        use(
          await issuedCoupon(
            { discountType: 'RATE', discountValue: 15, maxDiscountAmount: 4_000 },
            43,
          ),
          43,
          100_000,
        ),
      ).resolves.toEqual({
        discountAmount: 4_000,
      });
    });

    it('never discounts more than the order amount', async () => {
      const id = await issuedCoupon({ discountValue: 50_000, minOrderAmount: 0 });
      await expect(use(id, USER, 12_000)).resolves.toEqual({ discountAmount: 12_000 });
    });

    it('is undone with the order transaction when the order fails afterwards', async () => {
      const id = await issuedCoupon();

      const order = transactions.run(async () => {
        await service.useIssuedCoupon(id, USER, 20_000);
        throw new Error('out of stock, say');
      });

      await expect(order).rejects.toThrow('out of stock, say');
      expect(await row(id)).toMatchObject({ status: 'AVAILABLE', used_at: null });
    });

    it('ISSUED_COUPON_NOT_FOUND for an unknown id', async () => {
      await expect(use(999_999, USER, 20_000)).rejects.toMatchObject({
        code: 'ISSUED_COUPON_NOT_FOUND',
      });
      await expect(
        transactions.run(() => service.restoreIssuedCoupon(999_999)),
      ).rejects.toMatchObject({
        code: 'ISSUED_COUPON_NOT_FOUND',
      });
    });

    it.each<[string, (id: number) => Promise<unknown>]>([
      ["another user's coupon", (id) => use(id, USER + 1, 20_000)],
      ['an order below the minimum', (id) => use(id, USER, 9_999)],
      [
        'an expired coupon',
        async (id) => {
          await a.dataSource.query('UPDATE issued_coupons SET expires_at = ? WHERE id = ?', [
            new Date(Date.now() - 1_000),
            id,
          ]);
          return use(id, USER, 20_000);
        },
      ],
    ])('COUPON_NOT_USABLE for %s, and the row is unchanged', async (_, attempt) => {
      const id = await issuedCoupon();

      await expect(attempt(id)).rejects.toMatchObject({ code: 'COUPON_NOT_USABLE' });

      expect(await row(id)).toMatchObject({ status: 'AVAILABLE', used_at: null });
    });

    it('COUPON_NOT_USABLE for a used coupon; the first use stays', async () => {
      const id = await issuedCoupon();
      await use(id, USER, 20_000);
      const first = await row(id);

      await expect(use(id, USER, 20_000)).rejects.toMatchObject({ code: 'COUPON_NOT_USABLE' });

      expect(await row(id)).toEqual(first);
    });

    it('10 concurrent uses of one coupon on two instances: exactly one succeeds', async () => {
      const id = await issuedCoupon();
      const services = [a, b].map((t) => ({
        svc: t.app.get(CouponService),
        tx: t.app.get(TransactionRunner),
      }));

      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          use(id, USER, 20_000, services[i % 2].svc, services[i % 2].tx),
        ),
      );

      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(rejected.map((r) => r.reason.code)).toEqual(Array(9).fill('COUPON_NOT_USABLE'));
      expect((await row(id)).status).toBe('USED');
    });

    it('does not lock the coupons row (the coupon definition is read plainly)', async () => {
      const id = await issuedCoupon();
      const [{ coupon_id }] = await a.dataSource.query(
        'SELECT coupon_id FROM issued_coupons WHERE id = ?',
        [id],
      );
      const holder = a.dataSource.createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      try {
        await holder.query('SELECT id FROM coupons WHERE id = ? FOR UPDATE', [coupon_id]);
        const started = Date.now();

        await expect(use(id, USER, 20_000)).resolves.toEqual({ discountAmount: 5_000 });

        expect(Date.now() - started).toBeLessThan(1_000);
      } finally {
        await holder.rollbackTransaction();
        await holder.release();
      }
    });

    it('restore makes a used coupon AVAILABLE again (used_at NULL), usable once more', async () => {
      const id = await issuedCoupon();
      await use(id, USER, 20_000);

      await transactions.run(() => service.restoreIssuedCoupon(id));

      expect(await row(id)).toMatchObject({ status: 'AVAILABLE', used_at: null });
      await expect(use(id, USER, 20_000)).resolves.toEqual({ discountAmount: 5_000 });
    });

    it('restore leaves an unused coupon as it is', async () => {
      const id = await issuedCoupon();
      const before = await row(id);

      await transactions.run(() => service.restoreIssuedCoupon(id));

      expect(await row(id)).toEqual(before);
    });

    it('a restored coupon past its expiry reads as EXPIRED', async () => {
      const id = await issuedCoupon();
      await use(id, USER, 20_000);
      await a.dataSource.query('UPDATE issued_coupons SET expires_at = ? WHERE id = ?', [
        new Date(Date.now() - 1_000),
        id,
      ]);

      await transactions.run(() => service.restoreIssuedCoupon(id));

      expect((await row(id)).status).toBe('AVAILABLE');
      const { body } = await request(a.baseUrl)
        .get(`/api/v1/users/${USER}/coupons`)
        .set(a.auth(USER))
        .expect(200);
      expect(body.map((c: { id: number; status: string }) => [c.id, c.status])).toEqual([
        [id, 'EXPIRED'],
      ]);
      await expect(use(id, USER, 20_000)).rejects.toMatchObject({ code: 'COUPON_NOT_USABLE' });
    });
  });
});
