import request from 'supertest';
import { OrderExpiryJob } from '../../src/modules/order/application/order-expiry.job';
import {
  balanceOf,
  countRows,
  insertProduct,
  issueCouponDirectly,
  setBalance,
  stockOf,
} from '../support/fixtures';
import { TestApp } from '../support/test-app';
import { useTwoTestApps } from '../support/use-test-app';

/** Every race here runs against two application instances (two pools) sharing one database. */
describe('orders under concurrency (two app instances, real database)', () => {
  const { a, b, either } = useTwoTestApps();

  const placeOrder = (
    app: TestApp,
    userId: number,
    items: { productId: number; quantity: number }[],
    issuedCouponId?: number,
  ) =>
    request(app.baseUrl)
      .post('/api/v1/orders')
      .set(app.auth(userId))
      .send({ userId, items, ...(issuedCouponId ? { issuedCouponId } : {}) });
  const pay = (app: TestApp, userId: number, orderId: number) =>
    request(app.baseUrl).post(`/api/v1/orders/${orderId}/payment`).set(app.auth(userId));
  const cancel = (app: TestApp, userId: number, orderId: number) =>
    request(app.baseUrl).post(`/api/v1/orders/${orderId}/cancel`).set(app.auth(userId));

  it('40 buyers race for 10 units: exactly 10 orders, stock 0', async () => {
    const productId = await insertProduct(a.dataSource, 1_000, 10);

    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        placeOrder(either(i), 1_000 + i, [{ productId, quantity: 1 }]),
      ),
    );

    const created = responses.filter((r) => r.status === 201);
    const rejected = responses.filter((r) => r.status === 409);
    expect(created).toHaveLength(10);
    expect(rejected).toHaveLength(30);
    expect(rejected.every((r) => r.body.code === 'OUT_OF_STOCK')).toBe(true);
    expect(await stockOf(a.dataSource, productId)).toBe(0);
    expect(await countRows(a.dataSource, 'orders')).toBe(10);
    expect(await countRows(a.dataSource, 'order_items')).toBe(10);
  });

  it('60 two-line orders with the lines in opposite orders all succeed without a deadlock error', async () => {
    const first = await insertProduct(a.dataSource, 100, 1_000);
    const second = await insertProduct(a.dataSource, 200, 1_000);

    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const lines =
          i % 2 === 0
            ? [
                { productId: first, quantity: 1 },
                { productId: second, quantity: 2 },
              ]
            : [
                { productId: second, quantity: 2 },
                { productId: first, quantity: 1 },
              ];
        return placeOrder(either(i), 2_000 + i, lines);
      }),
    );

    expect(responses.map((r) => r.status)).toEqual(Array(60).fill(201));
    expect(await stockOf(a.dataSource, first)).toBe(1_000 - 60);
    expect(await stockOf(a.dataSource, second)).toBe(1_000 - 120);
  });

  it('10 pending orders of one user paid at once with balance for 3: exactly 3 paid, balance exact', async () => {
    const productId = await insertProduct(a.dataSource, 1_000, 100);
    await setBalance(a.dataSource, 7, 3_500);
    const orderIds: number[] = [];
    for (let i = 0; i < 10; i++) {
      orderIds.push((await placeOrder(a, 7, [{ productId, quantity: 1 }]).expect(201)).body.id);
    }

    const responses = await Promise.all(orderIds.map((id, i) => pay(either(i), 7, id)));

    expect(responses.filter((r) => r.status === 200)).toHaveLength(3);
    const refused = responses.filter((r) => r.status === 409);
    expect(refused).toHaveLength(7);
    expect(refused.every((r) => r.body.code === 'INSUFFICIENT_BALANCE')).toBe(true);
    expect(await balanceOf(a.dataSource, 7)).toBe(500);
    expect(await countRows(a.dataSource, 'orders', "status = 'PAID'")).toBe(3);
    expect(await countRows(a.dataSource, 'orders', "status = 'PENDING_PAYMENT'")).toBe(7);
    expect(await countRows(a.dataSource, 'payments')).toBe(3);
    expect(await countRows(a.dataSource, 'balance_history', "type = 'USE'")).toBe(3);
    expect(await countRows(a.dataSource, 'outbox_events', "type = 'ORDER_PAID'")).toBe(3);
  });

  it('pay and cancel racing on the same orders: one state change each, everything returned exactly once', async () => {
    const productId = await insertProduct(a.dataSource, 1_000, 20);
    await setBalance(a.dataSource, 8, 100_000);
    const orderIds: number[] = [];
    for (let i = 0; i < 10; i++) {
      orderIds.push((await placeOrder(a, 8, [{ productId, quantity: 2 }]).expect(201)).body.id);
    }
    expect(await stockOf(a.dataSource, productId)).toBe(0);

    const results = await Promise.all(
      orderIds.map(async (id) => {
        const calls = await Promise.all([
          pay(a, 8, id),
          cancel(b, 8, id),
          pay(b, 8, id),
          cancel(a, 8, id),
        ]);
        return { pays: [calls[0], calls[2]], cancels: [calls[1], calls[3]] };
      }),
    );

    for (const { pays, cancels } of results) {
      // Exactly one cancellation wins; the other sees a final order.
      expect(cancels.filter((r) => r.status === 200)).toHaveLength(1);
      expect(cancels.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual([
        'ORDER_NOT_CANCELLABLE',
      ]);
      // At most one payment wins; every other pay attempt is ORDER_NOT_PAYABLE.
      expect(pays.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
      expect(
        pays.filter((r) => r.status !== 200).every((r) => r.body.code === 'ORDER_NOT_PAYABLE'),
      ).toBe(true);
    }
    expect(await countRows(a.dataSource, 'orders', "status = 'CANCELLED'")).toBe(10);
    expect(await stockOf(a.dataSource, productId)).toBe(20);
    expect(await balanceOf(a.dataSource, 8)).toBe(100_000);
    const uses = await countRows(a.dataSource, 'balance_history', "type = 'USE'");
    expect(await countRows(a.dataSource, 'balance_history', "type = 'REFUND'")).toBe(uses);
    expect(await countRows(a.dataSource, 'outbox_events', "type = 'ORDER_REFUNDED'")).toBe(uses);
  });

  it('expiry racing with pay and cancel: exactly one of expire/cancel wins, pay never does', async () => {
    const productId = await insertProduct(a.dataSource, 1_000, 10);
    await setBalance(a.dataSource, 9, 100_000);
    const couponIds: number[] = [];
    const orderIds: number[] = [];
    for (let i = 0; i < 10; i++) {
      const couponId = await issueCouponDirectly(a.dataSource, 9, { discountValue: 100 });
      couponIds.push(couponId);
      orderIds.push(
        (await placeOrder(a, 9, [{ productId, quantity: 1 }], couponId).expect(201)).body.id,
      );
    }
    await a.dataSource.query('UPDATE orders SET expires_at = ? WHERE user_id = 9', [
      new Date(Date.now() - 1_000),
    ]);

    const [, , responses] = await Promise.all([
      a.app.get(OrderExpiryJob).sweep(),
      b.app.get(OrderExpiryJob).sweep(),
      Promise.all(
        orderIds.flatMap((id, i) => [pay(either(i), 9, id), cancel(either(i + 1), 9, id)]),
      ),
    ]);

    const payResponses = responses.filter((_, i) => i % 2 === 0);
    const cancelResponses = responses.filter((_, i) => i % 2 === 1);
    expect(payResponses.every((r) => r.status === 409 && r.body.code === 'ORDER_NOT_PAYABLE')).toBe(
      true,
    );
    const cancelled = cancelResponses.filter((r) => r.status === 200).length;
    expect(
      cancelResponses
        .filter((r) => r.status !== 200)
        .every((r) => r.body.code === 'ORDER_NOT_CANCELLABLE'),
    ).toBe(true);
    expect(await countRows(a.dataSource, 'orders', "status = 'CANCELLED'")).toBe(cancelled);
    expect(await countRows(a.dataSource, 'orders', "status = 'EXPIRED'")).toBe(10 - cancelled);
    expect(await stockOf(a.dataSource, productId)).toBe(10);
    expect(await countRows(a.dataSource, 'issued_coupons', "status = 'AVAILABLE'")).toBe(10);
    expect(await balanceOf(a.dataSource, 9)).toBe(100_000);
  });

  it('the scheduled sweep expires an unpaid order on its own within a few seconds', async () => {
    const productId = await insertProduct(a.dataSource, 1_000, 5);
    const orderId = (await placeOrder(a, 11, [{ productId, quantity: 2 }]).expect(201)).body.id;
    await a.dataSource.query('UPDATE orders SET expires_at = ? WHERE id = ?', [
      new Date(Date.now() - 10),
      orderId,
    ]);

    const deadline = Date.now() + 5_000;
    let status = '';
    while (Date.now() < deadline) {
      status = (await request(a.baseUrl).get(`/api/v1/orders/${orderId}`).set(a.auth(11))).body
        .status;
      if (status === 'EXPIRED') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe('EXPIRED');
    expect(await stockOf(a.dataSource, productId)).toBe(5);
  });
});
