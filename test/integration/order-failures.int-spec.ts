import request from 'supertest';
import {
  balanceOf,
  countRows,
  insertProduct,
  issueCouponDirectly,
  setBalance,
  stockOf,
} from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { useTestApp } from '../support/use-test-app';

/** A request that fails changes nothing: no stock, coupon, balance or order row half-written. */
describe('order failure paths (real database)', () => {
  const t = useTestApp();

  const placeOrder = (userId: number, body: object) =>
    request(t.baseUrl)
      .post('/api/v1/orders')
      .set(t.auth(userId))
      .send({ userId, ...body });

  async function expectNothingWritten(stocks: Record<number, number>): Promise<void> {
    for (const [productId, stock] of Object.entries(stocks)) {
      expect(await stockOf(t.dataSource, Number(productId))).toBe(stock);
    }
    expect(await countRows(t.dataSource, 'orders')).toBe(0);
    expect(await countRows(t.dataSource, 'order_items')).toBe(0);
  }

  it('out of stock on the last line: 409 OUT_OF_STOCK and no line is taken', async () => {
    const p1 = await insertProduct(t.dataSource, 1_000, 10);
    const p2 = await insertProduct(t.dataSource, 1_000, 10);
    const p3 = await insertProduct(t.dataSource, 1_000, 1);

    const response = await placeOrder(1, {
      items: [
        { productId: p1, quantity: 5 },
        { productId: p2, quantity: 5 },
        { productId: p3, quantity: 2 },
      ],
    });

    expect(response.status).toBe(409);
    expect(response.body.code).toBe('OUT_OF_STOCK');
    await expectNothingWritten({ [p1]: 10, [p2]: 10, [p3]: 1 });
  });

  it('an unknown product: 404 PRODUCT_NOT_FOUND and nothing taken', async () => {
    const p1 = await insertProduct(t.dataSource, 1_000, 10);

    const response = await placeOrder(1, {
      items: [
        { productId: p1, quantity: 1 },
        { productId: 999_999, quantity: 1 },
      ],
    });

    expect(response.status).toBe(404);
    expect(response.body.code).toBe('PRODUCT_NOT_FOUND');
    await expectNothingWritten({ [p1]: 10 });
  });

  it("someone else's coupon, a coupon below its minimum, an expired or used coupon: 409 COUPON_NOT_USABLE, nothing taken", async () => {
    const p1 = await insertProduct(t.dataSource, 1_000, 10);
    const othersCoupon = await issueCouponDirectly(t.dataSource, 2);
    const highMinimum = await issueCouponDirectly(t.dataSource, 1, { minOrderAmount: 50_000 });
    const expired = await issueCouponDirectly(t.dataSource, 1, {}, new Date(Date.now() - 1_000));
    const used = await issueCouponDirectly(t.dataSource, 1);
    await t.dataSource.query(
      "UPDATE issued_coupons SET status = 'USED', used_at = ? WHERE id = ?",
      [new Date(), used],
    );

    for (const issuedCouponId of [othersCoupon, highMinimum, expired, used]) {
      const response = await placeOrder(1, {
        items: [{ productId: p1, quantity: 2 }],
        issuedCouponId,
      });
      expect({ issuedCouponId, status: response.status, code: response.body.code }).toEqual({
        issuedCouponId,
        status: 409,
        code: 'COUPON_NOT_USABLE',
      });
    }
    await expectNothingWritten({ [p1]: 10 });
    expect(await countRows(t.dataSource, 'issued_coupons', "status = 'USED'")).toBe(1);
  });

  it('an unknown issued coupon: 404 ISSUED_COUPON_NOT_FOUND, nothing taken', async () => {
    const p1 = await insertProduct(t.dataSource, 1_000, 10);

    const response = await placeOrder(1, {
      items: [{ productId: p1, quantity: 1 }],
      issuedCouponId: 424242,
    });

    expect(response.status).toBe(404);
    expect(response.body.code).toBe('ISSUED_COUPON_NOT_FOUND');
    await expectNothingWritten({ [p1]: 10 });
  });

  it('payment without enough balance: 409 INSUFFICIENT_BALANCE, the order stays payable and nothing moves', async () => {
    const p1 = await insertProduct(t.dataSource, 1_000, 10);
    await setBalance(t.dataSource, 1, 999);
    const order = (await placeOrder(1, { items: [{ productId: p1, quantity: 1 }] }).expect(201))
      .body;

    const response = await request(t.baseUrl)
      .post(`/api/v1/orders/${order.id}/payment`)
      .set(t.auth(1));

    expect(response.status).toBe(409);
    expect(response.body.code).toBe('INSUFFICIENT_BALANCE');
    const [row] = await t.dataSource.query('SELECT status FROM orders WHERE id = ?', [order.id]);
    expect(row.status).toBe('PENDING_PAYMENT');
    expect(await countRows(t.dataSource, 'payments')).toBe(0);
    expect(await countRows(t.dataSource, 'outbox_events')).toBe(0);
    expect(await countRows(t.dataSource, 'balance_history')).toBe(0);

    await setBalance(t.dataSource, 1, 1_000);
    const paid = await request(t.baseUrl).post(`/api/v1/orders/${order.id}/payment`).set(t.auth(1));
    expect(paid.status).toBe(200);
    expect(paid.body.status).toBe('PAID');
  });

  describe('a refund above BALANCE_MAX (which limits charges only)', () => {
    let limited: TestApp;
    beforeAll(async () => {
      limited = await startTestApp({ CHARGE_MAX: '100000', BALANCE_MAX: '100000' });
    });
    afterAll(() => limited.close());

    it('cancelling a paid order after charging up to the limit: 200 CANCELLED, the whole amount back', async () => {
      const product = await insertProduct(limited.dataSource, 30_000, 5);
      const api = request(limited.baseUrl);
      const charge = (amount: number) =>
        api.post('/api/v1/users/1/balance/charge').set(limited.auth(1)).send({ amount });
      await charge(50_000).expect(200);
      const order = (
        await api
          .post('/api/v1/orders')
          .set(limited.auth(1))
          .send({ userId: 1, items: [{ productId: product, quantity: 1 }] })
          .expect(201)
      ).body;
      await api.post(`/api/v1/orders/${order.id}/payment`).set(limited.auth(1)).expect(200);
      expect((await charge(80_000).expect(200)).body.balance).toBe(100_000);

      const cancelled = await api.post(`/api/v1/orders/${order.id}/cancel`).set(limited.auth(1));

      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('CANCELLED');
      expect(await balanceOf(limited.dataSource, 1)).toBe(130_000);
      expect(await stockOf(limited.dataSource, product)).toBe(5);
      const [refund] = await limited.dataSource.query(
        "SELECT amount, balance_after FROM balance_history WHERE type = 'REFUND'",
      );
      expect([Number(refund.amount), Number(refund.balance_after)]).toEqual([30_000, 130_000]);
      // The limit still holds for charges.
      expect((await charge(1)).body.code).toBe('BALANCE_LIMIT_EXCEEDED');
    });
  });

  it('a coupon order that is cancelled gives the coupon back; paid ones are refunded with a REFUND entry', async () => {
    const p1 = await insertProduct(t.dataSource, 10_000, 10);
    await setBalance(t.dataSource, 1, 50_000);
    const couponId = await issueCouponDirectly(t.dataSource, 1, {
      discountType: 'RATE',
      discountValue: 10,
    });
    const order = (
      await placeOrder(1, {
        items: [{ productId: p1, quantity: 2 }],
        issuedCouponId: couponId,
      }).expect(201)
    ).body;
    expect(order).toMatchObject({ totalAmount: 20_000, discountAmount: 2_000, payAmount: 18_000 });
    await request(t.baseUrl).post(`/api/v1/orders/${order.id}/payment`).set(t.auth(1)).expect(200);

    const cancelled = await request(t.baseUrl)
      .post(`/api/v1/orders/${order.id}/cancel`)
      .set(t.auth(1));

    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    expect(await stockOf(t.dataSource, p1)).toBe(10);
    const [coupon] = await t.dataSource.query('SELECT status FROM issued_coupons WHERE id = ?', [
      couponId,
    ]);
    expect(coupon.status).toBe('AVAILABLE');
    const history = await t.dataSource.query(
      'SELECT type, amount, balance_after FROM balance_history ORDER BY id',
    );
    expect(
      history.map((h: { type: string; amount: number }) => [h.type, Number(h.amount)]),
    ).toEqual([
      ['USE', 18_000],
      ['REFUND', 18_000],
    ]);
    const events = await t.dataSource.query('SELECT type, payload FROM outbox_events ORDER BY id');
    expect(events.map((e: { type: string }) => e.type)).toEqual(['ORDER_PAID', 'ORDER_REFUNDED']);
    expect(JSON.parse(events[0].payload)).toMatchObject({
      type: 'ORDER_PAID',
      order: {
        id: order.id,
        userId: 1,
        items: [{ productId: p1, quantity: 2, unitPrice: 10_000 }],
        payAmount: 18_000,
      },
    });
  });
});
