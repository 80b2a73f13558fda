import request from 'supertest';
import type { Response } from 'supertest';
import { expectErrorBody, expectValidationError } from '../support/error-assertions';
import { countRows, insertProduct, setBalance, stockOf } from '../support/fixtures';
import { useTestApp } from '../support/use-test-app';

/** The HTTP contract of every order route (api.md: Orders and payment, Idempotency, Errors, Identity). */
describe('orders (HTTP contract)', () => {
  const t = useTestApp();

  const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
  const ORDERS = '/api/v1/orders';
  const ADMIN = 900;

  type Headers = Record<string, string>;
  const api = () => request(t.baseUrl);
  const withKey = (userId: number, key: string): Headers => ({
    ...t.auth(userId),
    'Idempotency-Key': key,
  });
  const placeOrder = (userId: number, body: unknown, headers: Headers = t.auth(userId)) =>
    api()
      .post(ORDERS)
      .set(headers)
      .send(body as object);
  const getOrder = (orderId: number | string, headers: Headers) =>
    api().get(`${ORDERS}/${orderId}`).set(headers);
  const pay = (orderId: number | string, headers: Headers) =>
    api().post(`${ORDERS}/${orderId}/payment`).set(headers);
  const cancel = (orderId: number | string, headers: Headers) =>
    api().post(`${ORDERS}/${orderId}/cancel`).set(headers);
  const listOrders = (userId: number | string, query: string, headers: Headers) =>
    api().get(`/api/v1/users/${userId}/orders${query}`).set(headers);

  /** Places an order through the API and returns its body (asserting 201). */
  async function placed(
    userId: number,
    items: Array<{ productId: number; quantity: number }>,
    issuedCouponId?: number,
  ) {
    const res = await placeOrder(userId, {
      userId,
      items,
      ...(issuedCouponId ? { issuedCouponId } : {}),
    });
    expect(res.status).toBe(201);
    return res.body as OrderBody;
  }

  const productStock = async (productId: number) =>
    ((await api().get(`/api/v1/products/${productId}`).expect(200)).body as { stock: number })
      .stock;
  const balance = async (userId: number) =>
    (
      (await api().get(`/api/v1/users/${userId}/balance`).set(t.auth(userId)).expect(200)).body as {
        balance: number;
      }
    ).balance;
  const history = async (userId: number) =>
    (await api().get(`/api/v1/users/${userId}/balance/history`).set(t.auth(userId)).expect(200))
      .body as {
      items: Array<{ type: string; amount: number; balanceAfter: number; orderId: number | null }>;
      totalItems: number;
    };
  const couponStatus = async (userId: number, issuedCouponId: number) => {
    const res = await api().get(`/api/v1/users/${userId}/coupons`).set(t.auth(userId)).expect(200);
    return (res.body as Array<{ id: number; status: string }>).find((c) => c.id === issuedCouponId)
      ?.status;
  };
  const orderStatusRow = async (orderId: number) =>
    (
      (await t.dataSource.query('SELECT status FROM orders WHERE id = ?', [orderId])) as Array<{
        status: string;
      }>
    )[0]?.status;

  /** A coupon with full terms (incl. max_discount_amount) and one AVAILABLE copy for `userId`. */
  async function issueCoupon(
    userId: number,
    terms: { type: 'FIXED' | 'RATE'; value: number; max?: number | null; min?: number },
  ): Promise<number> {
    const now = new Date();
    const coupon = await t.dataSource.query(
      `INSERT INTO coupons (name, discount_type, discount_value, max_discount_amount, min_order_amount,
         total_quantity, issued_quantity, valid_days, created_at)
       VALUES ('E2E coupon', ?, ?, ?, ?, 100, 1, 7, ?)`,
      [terms.type, terms.value, terms.max ?? null, terms.min ?? 0, now],
    );
    const issued = await t.dataSource.query(
      `INSERT INTO issued_coupons (coupon_id, user_id, status, issued_at, expires_at) VALUES (?, ?, 'AVAILABLE', ?, ?)`,
      [coupon.insertId, userId, now, new Date(now.getTime() + 7 * 86_400_000)],
    );
    return Number(issued.insertId);
  }

  async function waitForStatus(
    orderId: number,
    status: string,
    timeoutMs = 10_000,
  ): Promise<OrderBody> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await getOrder(orderId, t.auth(ADMIN, { admin: true })).expect(200);
      if (res.body.status === status || Date.now() > deadline) return res.body as OrderBody;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async function expectNoOrderWritten(stocks: Record<number, number>): Promise<void> {
    expect(await countRows(t.dataSource, 'orders')).toBe(0);
    expect(await countRows(t.dataSource, 'order_items')).toBe(0);
    for (const [productId, stock] of Object.entries(stocks)) {
      expect(await stockOf(t.dataSource, Number(productId))).toBe(stock);
    }
  }

  const ms = (iso: string) => new Date(iso).getTime();

  describe('POST /orders', () => {
    it('201 with exactly the contract fields; stock is reserved at once; GET returns the same order', async () => {
      const keyboard = await insertProduct(t.dataSource, 30_000, 10, 'Keyboard');
      const mouse = await insertProduct(t.dataSource, 12_500, 5, 'Mouse');
      const before = Date.now();

      // Lines in non-ascending product order: the order keeps the request's line order.
      const res = await placeOrder(1, {
        userId: 1,
        items: [
          { productId: mouse, quantity: 3 },
          { productId: keyboard, quantity: 2 },
        ],
      });
      const after = Date.now();

      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toStrictEqual({
        id: expect.any(Number),
        userId: 1,
        status: 'PENDING_PAYMENT',
        items: [
          { productId: mouse, name: 'Mouse', unitPrice: 12_500, quantity: 3, amount: 37_500 },
          { productId: keyboard, name: 'Keyboard', unitPrice: 30_000, quantity: 2, amount: 60_000 },
        ],
        totalAmount: 97_500,
        discountAmount: 0,
        payAmount: 97_500,
        issuedCouponId: null,
        createdAt: expect.stringMatching(ISO_UTC),
        expiresAt: expect.stringMatching(ISO_UTC),
        paidAt: null,
        closedAt: null,
        payment: null,
      });
      expect(res.body.id).toBeGreaterThan(0);
      expect(ms(res.body.createdAt)).toBeGreaterThanOrEqual(before - 1_000);
      expect(ms(res.body.createdAt)).toBeLessThanOrEqual(after + 1_000);
      expect(t.config.orderPaymentTtlSeconds).toBe(600);
      expect(ms(res.body.expiresAt) - ms(res.body.createdAt)).toBe(600 * 1_000);

      expect(await productStock(keyboard)).toBe(8);
      expect(await productStock(mouse)).toBe(2);

      const fetched = await getOrder(res.body.id, t.auth(1));
      expect(fetched.status).toBe(200);
      expect(fetched.body).toStrictEqual(res.body);
    });

    it('keeps the name and price of when the order was placed', async () => {
      const p = await insertProduct(t.dataSource, 1_000, 10, 'Old name');
      const order = await placed(1, [{ productId: p, quantity: 2 }]);
      await t.dataSource.query("UPDATE products SET name = 'New name', price = 9999 WHERE id = ?", [
        p,
      ]);

      const res = await getOrder(order.id, t.auth(1)).expect(200);
      expect(res.body.items).toEqual([
        { productId: p, name: 'Old name', unitPrice: 1_000, quantity: 2, amount: 2_000 },
      ]);
      expect(res.body.totalAmount).toBe(2_000);
    });

    it('a FIXED coupon takes its value off and is marked USED', async () => {
      const p = await insertProduct(t.dataSource, 10_000, 10);
      const couponId = await issueCoupon(1, { type: 'FIXED', value: 5_000 });

      const res = await placeOrder(1, {
        userId: 1,
        items: [{ productId: p, quantity: 3 }],
        issuedCouponId: couponId,
      });

      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        totalAmount: 30_000,
        discountAmount: 5_000,
        payAmount: 25_000,
        issuedCouponId: couponId,
      });
      expect(await couponStatus(1, couponId)).toBe('USED');
    });

    it('a FIXED coupon larger than the order discounts the whole order (payAmount 0)', async () => {
      const p = await insertProduct(t.dataSource, 3_000, 10);
      const couponId = await issueCoupon(1, { type: 'FIXED', value: 5_000 });

      const order = await placed(1, [{ productId: p, quantity: 1 }], couponId);

      expect(order).toMatchObject({ totalAmount: 3_000, discountAmount: 3_000, payAmount: 0 });
      const paid = await pay(order.id, t.auth(1)).expect(200);
      expect(paid.body).toMatchObject({ status: 'PAID', payAmount: 0, payment: { amount: 0 } });
    });

    it('a RATE coupon is a percentage, floored to whole KRW', async () => {
      const p = await insertProduct(t.dataSource, 12_345, 10);
      const couponId = await issueCoupon(1, { type: 'RATE', value: 10 });

      const order = await placed(1, [{ productId: p, quantity: 1 }], couponId);

      expect(order).toMatchObject({
        totalAmount: 12_345,
        discountAmount: 1_234,
        payAmount: 11_111,
        issuedCouponId: couponId,
      });
    });

    it('a RATE coupon is capped by max_discount_amount', async () => {
      const p = await insertProduct(t.dataSource, 100_000, 10);
      const capped = await issueCoupon(1, { type: 'RATE', value: 50, max: 10_000 });
      const underCap = await issueCoupon(2, { type: 'RATE', value: 50, max: 10_000 });

      const big = await placed(1, [{ productId: p, quantity: 1 }], capped);
      expect(big).toMatchObject({
        totalAmount: 100_000,
        discountAmount: 10_000,
        payAmount: 90_000,
      });

      const small = await insertProduct(t.dataSource, 9_999, 10);
      const little = await placed(2, [{ productId: small, quantity: 1 }], underCap);
      expect(little).toMatchObject({ totalAmount: 9_999, discountAmount: 4_999, payAmount: 5_000 });
    });

    it('accepts the bounds: 50 lines, quantity 1000 on a line', async () => {
      const products: number[] = [];
      for (let i = 0; i < 50; i++)
        products.push(await insertProduct(t.dataSource, 10, 1_000, `P${i}`));

      const res = await placeOrder(1, {
        userId: 1,
        items: products.map((productId, i) => ({ productId, quantity: i === 0 ? 1_000 : 1 })),
      });

      expect(res.status).toBe(201);
      expect(res.body.items).toHaveLength(50);
      expect(res.body.totalAmount).toBe(10 * (1_000 + 49));
      expect(await stockOf(t.dataSource, products[0])).toBe(0);
      expect(await stockOf(t.dataSource, products[49])).toBe(999);
    });

    it('an order for exactly the stock takes it all', async () => {
      const p = await insertProduct(t.dataSource, 500, 4);
      await placed(1, [{ productId: p, quantity: 4 }]);
      expect(await productStock(p)).toBe(0);
    });

    it('401 UNAUTHORIZED without a token or with a bad one; nothing written', async () => {
      const p = await insertProduct(t.dataSource, 1_000, 10);
      const body = { userId: 1, items: [{ productId: p, quantity: 1 }] };
      expectErrorBody(await placeOrder(1, body, {}), 401, 'UNAUTHORIZED', ORDERS);
      expectErrorBody(
        await placeOrder(1, body, { Authorization: 'Bearer not.a.jwt' }),
        401,
        'UNAUTHORIZED',
        ORDERS,
      );
      await expectNoOrderWritten({ [p]: 10 });
    });

    it('403 FORBIDDEN when the body userId is another user; nothing written', async () => {
      const p = await insertProduct(t.dataSource, 1_000, 10);
      const res = await placeOrder(2, { userId: 1, items: [{ productId: p, quantity: 1 }] });
      expectErrorBody(res, 403, 'FORBIDDEN', ORDERS);
      await expectNoOrderWritten({ [p]: 10 });
    });

    it('an admin may order for anyone', async () => {
      const p = await insertProduct(t.dataSource, 1_000, 10);
      const res = await placeOrder(
        ADMIN,
        { userId: 5, items: [{ productId: p, quantity: 1 }] },
        t.auth(ADMIN, { admin: true }),
      );
      expect(res.status).toBe(201);
      expect(res.body.userId).toBe(5);
      await getOrder(res.body.id, t.auth(5)).expect(200);
    });

    it('404 PRODUCT_NOT_FOUND for an unknown product; nothing taken', async () => {
      const p = await insertProduct(t.dataSource, 1_000, 10);
      const res = await placeOrder(1, {
        userId: 1,
        items: [
          { productId: p, quantity: 1 },
          { productId: 987_654, quantity: 1 },
        ],
      });
      expectErrorBody(res, 404, 'PRODUCT_NOT_FOUND', ORDERS);
      await expectNoOrderWritten({ [p]: 10 });
    });

    it('409 OUT_OF_STOCK when one line asks for more than the stock; nothing taken', async () => {
      const p1 = await insertProduct(t.dataSource, 1_000, 10);
      const p2 = await insertProduct(t.dataSource, 1_000, 2);
      const couponId = await issueCoupon(1, { type: 'FIXED', value: 100 });
      const res = await placeOrder(1, {
        userId: 1,
        items: [
          { productId: p1, quantity: 5 },
          { productId: p2, quantity: 3 },
        ],
        issuedCouponId: couponId,
      });
      expectErrorBody(res, 409, 'OUT_OF_STOCK', ORDERS);
      await expectNoOrderWritten({ [p1]: 10, [p2]: 2 });
      expect(await couponStatus(1, couponId)).toBe('AVAILABLE');
    });

    describe('400 VALIDATION_FAILED with details', () => {
      let p: number;
      let q: number;
      beforeEach(async () => {
        p = await insertProduct(t.dataSource, 1_000, 10_000);
        q = await insertProduct(t.dataSource, 1_000, 10_000);
      });
      const line = (overrides: Record<string, unknown> = {}) => ({
        productId: p,
        quantity: 1,
        ...overrides,
      });

      const cases: Array<[string, () => unknown, string]> = [
        ['items missing', () => ({ userId: 1 }), 'items'],
        ['items empty', () => ({ userId: 1, items: [] }), 'items'],
        [
          '51 lines',
          () => ({
            userId: 1,
            items: Array.from({ length: 51 }, (_, i) => ({ productId: i + 1, quantity: 1 })),
          }),
          'items',
        ],
        ['items an object, not an array', () => ({ userId: 1, items: line() }), 'items'],
        ['items a string', () => ({ userId: 1, items: 'abc' }), 'items'],
        ['items null', () => ({ userId: 1, items: null }), 'items'],
        ['an element that is a number', () => ({ userId: 1, items: [1] }), 'items'],
        ['an element that is null', () => ({ userId: 1, items: [line(), null] }), 'items'],
        ['an element that is an array', () => ({ userId: 1, items: [[p, 1]] }), 'items'],
        [
          'an element that is an array holding a line',
          () => ({ userId: 1, items: [[line()]] }),
          'items',
        ],
        ['an element that is a string', () => ({ userId: 1, items: [line(), 'x'] }), 'items'],
        [
          'a repeated productId',
          () => ({
            userId: 1,
            items: [line(), { productId: q, quantity: 1 }, line({ quantity: 2 })],
          }),
          'items',
        ],
        ['quantity 0', () => ({ userId: 1, items: [line({ quantity: 0 })] }), 'items.0.quantity'],
        [
          'quantity 1001',
          () => ({ userId: 1, items: [line({ quantity: 1_001 })] }),
          'items.0.quantity',
        ],
        [
          'quantity 1.5',
          () => ({ userId: 1, items: [line({ quantity: 1.5 })] }),
          'items.0.quantity',
        ],
        [
          'quantity "2"',
          () => ({ userId: 1, items: [line({ quantity: '2' })] }),
          'items.0.quantity',
        ],
        [
          'quantity null',
          () => ({ userId: 1, items: [line({ quantity: null })] }),
          'items.0.quantity',
        ],
        ['quantity missing', () => ({ userId: 1, items: [{ productId: p }] }), 'items.0.quantity'],
        [
          'quantity negative on the 2nd line',
          () => ({ userId: 1, items: [line(), { productId: q, quantity: -1 }] }),
          'items.1.quantity',
        ],
        [
          'productId 0',
          () => ({ userId: 1, items: [line({ productId: 0 })] }),
          'items.0.productId',
        ],
        [
          'productId -1',
          () => ({ userId: 1, items: [line({ productId: -1 })] }),
          'items.0.productId',
        ],
        [
          'productId "1"',
          () => ({ userId: 1, items: [line({ productId: String(p) })] }),
          'items.0.productId',
        ],
        ['productId missing', () => ({ userId: 1, items: [{ quantity: 1 }] }), 'items.0.productId'],
        ['userId missing', () => ({ items: [line()] }), 'userId'],
        ['userId a string', () => ({ userId: '1', items: [line()] }), 'userId'],
        ['userId 0', () => ({ userId: 0, items: [line()] }), 'userId'],
        ['an unknown top-level field', () => ({ userId: 1, items: [line()], note: 'hi' }), 'note'],
        [
          'an unknown field inside a line',
          () => ({ userId: 1, items: [line({ price: 1 })] }),
          'items.0.price',
        ],
        [
          'issuedCouponId 0',
          () => ({ userId: 1, items: [line()], issuedCouponId: 0 }),
          'issuedCouponId',
        ],
        [
          'issuedCouponId "x"',
          () => ({ userId: 1, items: [line()], issuedCouponId: 'x' }),
          'issuedCouponId',
        ],
        [
          'issuedCouponId 1.5',
          () => ({ userId: 1, items: [line()], issuedCouponId: 1.5 }),
          'issuedCouponId',
        ],
      ];

      it.each(cases)('%s', async (_label, body, field) => {
        const res = await placeOrder(1, body());
        expectValidationError(res, field);
        expect(res.body.path).toBe(ORDERS);
        for (const detail of res.body.details as Array<{ reason: string }>) {
          expect(detail.reason.length).toBeGreaterThan(3);
        }
        await expectNoOrderWritten({ [p]: 10_000, [q]: 10_000 });
      });

      it('malformed JSON', async () => {
        const res = await api()
          .post(ORDERS)
          .set(t.auth(1))
          .set('Content-Type', 'application/json')
          .send('{"userId": 1, "items": [{"productId": 1, "quantity": 1}');
        expectErrorBody(res, 400, 'VALIDATION_FAILED', ORDERS);
        await expectNoOrderWritten({ [p]: 10_000 });
      });

      it('no body at all', async () => {
        const res = await api().post(ORDERS).set(t.auth(1));
        expectValidationError(res, 'userId', 'items');
      });
    });
  });

  describe('GET /orders/:orderId', () => {
    it('200 to the owner and to an admin, 403 FORBIDDEN to another user, 401 without a token', async () => {
      const p = await insertProduct(t.dataSource, 1_000, 10);
      const order = await placed(1, [{ productId: p, quantity: 1 }]);
      const path = `${ORDERS}/${order.id}`;

      expect((await getOrder(order.id, t.auth(1)).expect(200)).body).toStrictEqual(order);
      expect(
        (await getOrder(order.id, t.auth(ADMIN, { admin: true })).expect(200)).body,
      ).toStrictEqual(order);
      expectErrorBody(await getOrder(order.id, t.auth(2)), 403, 'FORBIDDEN', path);
      expectErrorBody(await getOrder(order.id, {}), 401, 'UNAUTHORIZED', path);
    });

    it('404 ORDER_NOT_FOUND for an unknown order, to users and admins alike', async () => {
      expectErrorBody(
        await getOrder(424_242, t.auth(1)),
        404,
        'ORDER_NOT_FOUND',
        `${ORDERS}/424242`,
      );
      expectErrorBody(
        await getOrder(424_242, t.auth(ADMIN, { admin: true })),
        404,
        'ORDER_NOT_FOUND',
      );
    });

    it.each(['0', '-1', 'abc', '1.5', '99999999999999999999', '1e3', '01'])(
      '400 for the order id %p',
      async (id) => {
        const res = await getOrder(id, t.auth(1));
        expectValidationError(res, 'orderId');
      },
    );
  });

  describe('POST /orders/:orderId/payment', () => {
    it('200 PAID with paidAt and payment {id, amount = payAmount, paidAt}; the balance is debited', async () => {
      const p = await insertProduct(t.dataSource, 10_000, 10);
      const couponId = await issueCoupon(1, { type: 'FIXED', value: 2_000 });
      await setBalance(t.dataSource, 1, 50_000);
      const order = await placed(1, [{ productId: p, quantity: 2 }], couponId);
      const before = Date.now();

      const res = await pay(order.id, t.auth(1));

      expect(res.status).toBe(200);
      expect(res.body).toStrictEqual({
        ...order,
        status: 'PAID',
        paidAt: expect.stringMatching(ISO_UTC),
        payment: {
          id: expect.any(Number),
          amount: 18_000,
          paidAt: expect.stringMatching(ISO_UTC),
          refundedAt: null,
        },
      });
      expect(res.body.payment.amount).toBe(order.payAmount);
      expect(res.body.payment.paidAt).toBe(res.body.paidAt);
      expect(ms(res.body.paidAt)).toBeGreaterThanOrEqual(before - 1_000);
      expect(ms(res.body.paidAt)).toBeLessThanOrEqual(Date.now() + 1_000);
      expect(ms(res.body.paidAt)).toBeLessThan(ms(order.expiresAt));

      expect(await balance(1)).toBe(32_000);
      const entries = await history(1);
      expect(entries.items).toEqual([
        expect.objectContaining({
          type: 'USE',
          amount: 18_000,
          balanceAfter: 32_000,
          orderId: order.id,
        }),
      ]);
      expect((await getOrder(order.id, t.auth(1)).expect(200)).body).toStrictEqual(res.body);
      expect(await productStock(p)).toBe(8);
    });

    it('paying twice: 409 ORDER_NOT_PAYABLE, debited once', async () => {
      const p = await insertProduct(t.dataSource, 1_000, 10);
      await setBalance(t.dataSource, 1, 10_000);
      const order = await placed(1, [{ productId: p, quantity: 1 }]);
      await pay(order.id, t.auth(1)).expect(200);

      const again = await pay(order.id, t.auth(1));

      expectErrorBody(again, 409, 'ORDER_NOT_PAYABLE', `${ORDERS}/${order.id}/payment`);
      expect(await balance(1)).toBe(9_000);
      expect(await countRows(t.dataSource, 'payments')).toBe(1);
    });

    it('409 INSUFFICIENT_BALANCE: the order stays PENDING_PAYMENT, nothing moves, and it can be paid later', async () => {
      const p = await insertProduct(t.dataSource, 1_000, 10);
      await setBalance(t.dataSource, 1, 2_999);
      const order = await placed(1, [{ productId: p, quantity: 3 }]);

      const res = await pay(order.id, t.auth(1));

      expectErrorBody(res, 409, 'INSUFFICIENT_BALANCE', `${ORDERS}/${order.id}/payment`);
      const after = await getOrder(order.id, t.auth(1)).expect(200);
      expect(after.body).toStrictEqual(order);
      expect(await balance(1)).toBe(2_999);
      expect((await history(1)).totalItems).toBe(0);
      expect(await countRows(t.dataSource, 'payments')).toBe(0);
      expect(await countRows(t.dataSource, 'outbox_events')).toBe(0);

      await setBalance(t.dataSource, 1, 3_000);
      const paid = await pay(order.id, t.auth(1)).expect(200);
      expect(paid.body.status).toBe('PAID');
      expect(await balance(1)).toBe(0);
    });

    it("403 FORBIDDEN for another user's order (nothing paid); an admin may pay it", async () => {
      const p = await insertProduct(t.dataSource, 1_000, 10);
      await setBalance(t.dataSource, 1, 5_000);
      await setBalance(t.dataSource, 2, 5_000);
      const order = await placed(1, [{ productId: p, quantity: 1 }]);

      expectErrorBody(
        await pay(order.id, t.auth(2)),
        403,
        'FORBIDDEN',
        `${ORDERS}/${order.id}/payment`,
      );
      expect(await orderStatusRow(order.id)).toBe('PENDING_PAYMENT');
      expect(await balance(1)).toBe(5_000);
      expect(await balance(2)).toBe(5_000);

      const byAdmin = await pay(order.id, t.auth(ADMIN, { admin: true })).expect(200);
      expect(byAdmin.body.status).toBe('PAID');
      expect(await balance(1)).toBe(4_000);
    });

    it('404 ORDER_NOT_FOUND for an unknown order, 400 for a bad id, 401 without a token', async () => {
      expectErrorBody(
        await pay(424_242, t.auth(1)),
        404,
        'ORDER_NOT_FOUND',
        `${ORDERS}/424242/payment`,
      );
      expectValidationError(await pay('abc', t.auth(1)), 'orderId');
      expectValidationError(await pay(0, t.auth(1)), 'orderId');
      expectErrorBody(await pay(1, {}), 401, 'UNAUTHORIZED');
    });

    it('409 ORDER_NOT_PAYABLE for an order past its expiresAt; nothing is debited', async () => {
      const p = await insertProduct(t.dataSource, 1_000, 10);
      await setBalance(t.dataSource, 1, 5_000);
      const order = await placed(1, [{ productId: p, quantity: 1 }]);
      await t.dataSource.query('UPDATE orders SET expires_at = ? WHERE id = ?', [
        new Date(Date.now() - 1_000),
        order.id,
      ]);

      const res = await pay(order.id, t.auth(1));

      expectErrorBody(res, 409, 'ORDER_NOT_PAYABLE', `${ORDERS}/${order.id}/payment`);
      expect(await balance(1)).toBe(5_000);
      expect(await countRows(t.dataSource, 'payments')).toBe(0);
      expect(['PENDING_PAYMENT', 'EXPIRED']).toContain(await orderStatusRow(order.id));
    });

    it('409 ORDER_NOT_PAYABLE for a cancelled order', async () => {
      const p = await insertProduct(t.dataSource, 1_000, 10);
      await setBalance(t.dataSource, 1, 5_000);
      const order = await placed(1, [{ productId: p, quantity: 1 }]);
      await cancel(order.id, t.auth(1)).expect(200);

      expectErrorBody(await pay(order.id, t.auth(1)), 409, 'ORDER_NOT_PAYABLE');
      expect(await balance(1)).toBe(5_000);
    });
  });

  describe('POST /orders/:orderId/cancel', () => {
    it('200 CANCELLED from PENDING_PAYMENT: stock returns, the coupon is AVAILABLE again, no money moves', async () => {
      const p = await insertProduct(t.dataSource, 5_000, 10);
      const couponId = await issueCoupon(1, { type: 'RATE', value: 10 });
      const order = await placed(1, [{ productId: p, quantity: 4 }], couponId);
      expect(await productStock(p)).toBe(6);
      expect(await couponStatus(1, couponId)).toBe('USED');

      const res = await cancel(order.id, t.auth(1));

      expect(res.status).toBe(200);
      expect(res.body).toStrictEqual({
        ...order,
        status: 'CANCELLED',
        closedAt: expect.stringMatching(ISO_UTC),
        paidAt: null,
        payment: null,
      });
      expect(await productStock(p)).toBe(10);
      expect(await couponStatus(1, couponId)).toBe('AVAILABLE');
      expect((await history(1)).totalItems).toBe(0);
      expect((await getOrder(order.id, t.auth(1)).expect(200)).body).toStrictEqual(res.body);

      // The coupon really is usable again.
      const again = await placed(1, [{ productId: p, quantity: 1 }], couponId);
      expect(again.discountAmount).toBe(500);
    });

    it('200 CANCELLED from PAID: refunded with a REFUND history entry carrying the orderId', async () => {
      const p = await insertProduct(t.dataSource, 10_000, 10);
      const couponId = await issueCoupon(1, { type: 'FIXED', value: 3_000 });
      await setBalance(t.dataSource, 1, 20_000);
      const order = await placed(1, [{ productId: p, quantity: 2 }], couponId);
      const paid = (await pay(order.id, t.auth(1)).expect(200)).body as OrderBody;
      expect(await balance(1)).toBe(3_000);

      const res = await cancel(order.id, t.auth(1));

      expect(res.status).toBe(200);
      expect(res.body).toStrictEqual({
        ...paid,
        status: 'CANCELLED',
        closedAt: expect.stringMatching(ISO_UTC),
        payment: { ...paid.payment, refundedAt: expect.stringMatching(ISO_UTC) },
      });
      expect(res.body.paidAt).toBe(paid.paidAt);
      expect(await balance(1)).toBe(20_000);
      const entries = await history(1);
      expect(entries.items).toEqual([
        expect.objectContaining({
          type: 'REFUND',
          amount: 17_000,
          balanceAfter: 20_000,
          orderId: order.id,
        }),
        expect.objectContaining({
          type: 'USE',
          amount: 17_000,
          balanceAfter: 3_000,
          orderId: order.id,
        }),
      ]);
      expect(await productStock(p)).toBe(10);
      expect(await couponStatus(1, couponId)).toBe('AVAILABLE');
    });

    it('a second cancel is 409 ORDER_NOT_CANCELLABLE and returns nothing twice', async () => {
      const p = await insertProduct(t.dataSource, 1_000, 10);
      await setBalance(t.dataSource, 1, 1_000);
      const order = await placed(1, [{ productId: p, quantity: 1 }]);
      await pay(order.id, t.auth(1)).expect(200);
      await cancel(order.id, t.auth(1)).expect(200);

      const again = await cancel(order.id, t.auth(1));

      expectErrorBody(again, 409, 'ORDER_NOT_CANCELLABLE', `${ORDERS}/${order.id}/cancel`);
      expect(await productStock(p)).toBe(10);
      expect(await balance(1)).toBe(1_000);
      expect((await history(1)).totalItems).toBe(2);
    });

    it('an order past expiresAt becomes EXPIRED on its own (stock back); cancelling it is 409 ORDER_NOT_CANCELLABLE', async () => {
      const p = await insertProduct(t.dataSource, 1_000, 10);
      const couponId = await issueCoupon(1, { type: 'FIXED', value: 100 });
      const order = await placed(1, [{ productId: p, quantity: 3 }], couponId);
      await t.dataSource.query('UPDATE orders SET expires_at = ? WHERE id = ?', [
        new Date(Date.now() - 1_000),
        order.id,
      ]);

      const expired = await waitForStatus(order.id, 'EXPIRED');
      expect(expired.status).toBe('EXPIRED');
      expect(expired.closedAt).toMatch(ISO_UTC);
      expect(await productStock(p)).toBe(10);
      expect(await couponStatus(1, couponId)).toBe('AVAILABLE');

      const res = await cancel(order.id, t.auth(1));

      expectErrorBody(res, 409, 'ORDER_NOT_CANCELLABLE', `${ORDERS}/${order.id}/cancel`);
      expect(await productStock(p)).toBe(10);
      expect(await orderStatusRow(order.id)).toBe('EXPIRED');
    });

    it("403 FORBIDDEN for another user's order (nothing changes); an admin may cancel it; 404 for an unknown one", async () => {
      const p = await insertProduct(t.dataSource, 1_000, 10);
      const order = await placed(1, [{ productId: p, quantity: 2 }]);

      expectErrorBody(
        await cancel(order.id, t.auth(2)),
        403,
        'FORBIDDEN',
        `${ORDERS}/${order.id}/cancel`,
      );
      expect(await orderStatusRow(order.id)).toBe('PENDING_PAYMENT');
      expect(await productStock(p)).toBe(8);

      const byAdmin = await cancel(order.id, t.auth(ADMIN, { admin: true })).expect(200);
      expect(byAdmin.body.status).toBe('CANCELLED');
      expect(await productStock(p)).toBe(10);

      expectErrorBody(
        await cancel(424_242, t.auth(1)),
        404,
        'ORDER_NOT_FOUND',
        `${ORDERS}/424242/cancel`,
      );
      expectValidationError(await cancel('-1', t.auth(1)), 'orderId');
      expectErrorBody(await cancel(order.id, {}), 401, 'UNAUTHORIZED');
    });
  });

  describe('GET /users/:userId/orders', () => {
    it('an empty page for a user without orders', async () => {
      const res = await listOrders(3, '', t.auth(3)).expect(200);
      expect(res.body).toStrictEqual({
        items: [],
        page: 1,
        size: 20,
        totalItems: 0,
        totalPages: 0,
      });
    });

    it("pages the user's orders newest first, as full orders", async () => {
      const p = await insertProduct(t.dataSource, 1_000, 100);
      const first = await placed(3, [{ productId: p, quantity: 1 }]);
      const second = await placed(3, [{ productId: p, quantity: 2 }]);
      await placed(4, [{ productId: p, quantity: 1 }]);
      const third = await placed(3, [{ productId: p, quantity: 3 }]);
      await cancel(second.id, t.auth(3)).expect(200);
      const secondNow = (await getOrder(second.id, t.auth(3)).expect(200)).body;

      const page1 = await listOrders(3, '?page=1&size=2', t.auth(3)).expect(200);
      const page2 = await listOrders(3, '?page=2&size=2', t.auth(3)).expect(200);
      const page3 = await listOrders(3, '?page=3&size=2', t.auth(3)).expect(200);
      const all = await listOrders(3, '', t.auth(3)).expect(200);

      expect(page1.body).toStrictEqual({
        items: [third, secondNow],
        page: 1,
        size: 2,
        totalItems: 3,
        totalPages: 2,
      });
      expect(page2.body).toStrictEqual({
        items: [first],
        page: 2,
        size: 2,
        totalItems: 3,
        totalPages: 2,
      });
      expect(page3.body).toStrictEqual({
        items: [],
        page: 3,
        size: 2,
        totalItems: 3,
        totalPages: 2,
      });
      expect(all.body).toMatchObject({ page: 1, size: 20, totalItems: 3, totalPages: 1 });
      expect(all.body.items.map((o: OrderBody) => o.id)).toEqual([third.id, second.id, first.id]);
    });

    it("403 FORBIDDEN for another user's orders; an admin may list them; 401 without a token", async () => {
      const p = await insertProduct(t.dataSource, 1_000, 10);
      await placed(3, [{ productId: p, quantity: 1 }]);
      expectErrorBody(
        await listOrders(3, '', t.auth(4)),
        403,
        'FORBIDDEN',
        '/api/v1/users/3/orders',
      );
      const byAdmin = await listOrders(3, '', t.auth(ADMIN, { admin: true })).expect(200);
      expect(byAdmin.body.totalItems).toBe(1);
      expectErrorBody(await listOrders(3, '', {}), 401, 'UNAUTHORIZED');
    });

    it('accepts size=100', async () => {
      const res = await listOrders(3, '?size=100', t.auth(3)).expect(200);
      expect(res.body.size).toBe(100);
    });

    it.each(['size=101', 'size=0', 'page=0', 'page=-1', 'page=x', 'size=1.5', 'size=', 'page=1e2'])(
      'rejects ?%s with 400',
      async (query) => {
        const res = await listOrders(3, `?${query}`, t.auth(3));
        expectErrorBody(res, 400, 'VALIDATION_FAILED', '/api/v1/users/3/orders');
        expect(res.body.details.length).toBeGreaterThan(0);
      },
    );

    it.each(['0', 'abc', '99999999999999999999'])('rejects the user id %p with 400', async (id) => {
      expectValidationError(await listOrders(id, '', t.auth(1)), 'userId');
    });
  });

  describe('Idempotency-Key', () => {
    const expectReplay = (first: Response, replay: Response) => {
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(replay.status).toBe(first.status);
      expect(replay.body).toStrictEqual(first.body);
      expect(replay.headers['idempotent-replayed']).toBe('true');
    };

    it('POST /orders: the same key and body replays the first 201 without a second order', async () => {
      const p = await insertProduct(t.dataSource, 1_000, 10);
      const body = { userId: 1, items: [{ productId: p, quantity: 2 }] };

      const first = await placeOrder(1, body, withKey(1, 'order-1'));
      // Same body, keys in another order: still the same request.
      const replay = await placeOrder(
        1,
        { items: [{ quantity: 2, productId: p }], userId: 1 },
        withKey(1, 'order-1'),
      );

      expect(first.status).toBe(201);
      expectReplay(first, replay);
      expect(await countRows(t.dataSource, 'orders')).toBe(1);
      expect(await stockOf(t.dataSource, p)).toBe(8);
    });

    it('POST /orders: the same key with a different body is 422 IDEMPOTENCY_KEY_REUSED and creates nothing', async () => {
      const p = await insertProduct(t.dataSource, 1_000, 10);
      await placeOrder(
        1,
        { userId: 1, items: [{ productId: p, quantity: 2 }] },
        withKey(1, 'order-1'),
      ).expect(201);

      const res = await placeOrder(
        1,
        { userId: 1, items: [{ productId: p, quantity: 3 }] },
        withKey(1, 'order-1'),
      );

      expectErrorBody(res, 422, 'IDEMPOTENCY_KEY_REUSED', ORDERS);
      expect(await countRows(t.dataSource, 'orders')).toBe(1);
      expect(await stockOf(t.dataSource, p)).toBe(8);
    });

    it('keys are per user: another user may use the same key', async () => {
      const p = await insertProduct(t.dataSource, 1_000, 10);
      const a = await placeOrder(
        1,
        { userId: 1, items: [{ productId: p, quantity: 1 }] },
        withKey(1, 'shared'),
      );
      const b = await placeOrder(
        2,
        { userId: 2, items: [{ productId: p, quantity: 1 }] },
        withKey(2, 'shared'),
      );
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(b.headers['idempotent-replayed']).toBeUndefined();
      expect(b.body.id).not.toBe(a.body.id);
      expect(await countRows(t.dataSource, 'orders')).toBe(2);
    });

    it('a business refusal (409 OUT_OF_STOCK) is the first response: replayed, even after a restock', async () => {
      const p = await insertProduct(t.dataSource, 1_000, 1);
      const body = { userId: 1, items: [{ productId: p, quantity: 2 }] };
      const first = await placeOrder(1, body, withKey(1, 'retry-me'));
      expectErrorBody(first, 409, 'OUT_OF_STOCK');
      await t.dataSource.query('UPDATE products SET stock = 5 WHERE id = ?', [p]);

      expectReplay(first, await placeOrder(1, body, withKey(1, 'retry-me')));
      expect(await countRows(t.dataSource, 'orders')).toBe(0);
      expect((await placeOrder(1, body, withKey(1, 'new-key'))).status).toBe(201);
    });

    it('a request refused before it ran (403) does not use up its key', async () => {
      const p = await insertProduct(t.dataSource, 1_000, 5);
      const body = { userId: 1, items: [{ productId: p, quantity: 1 }] };
      expectErrorBody(await placeOrder(2, body, withKey(2, 'mine')), 403, 'FORBIDDEN');
      const own = await placeOrder(2, { ...body, userId: 2 }, withKey(2, 'mine'));
      expect(own.status).toBe(201);
      expect(own.headers['idempotent-replayed']).toBeUndefined();
    });

    it('/payment: the same key replays the 200 without a second payment; on another order it is 422', async () => {
      const p = await insertProduct(t.dataSource, 1_000, 10);
      await setBalance(t.dataSource, 1, 10_000);
      const order = await placed(1, [{ productId: p, quantity: 2 }]);
      const other = await placed(1, [{ productId: p, quantity: 1 }]);

      const first = await pay(order.id, withKey(1, 'pay-1'));
      const replay = await pay(order.id, withKey(1, 'pay-1'));

      expect(first.status).toBe(200);
      expect(first.body.status).toBe('PAID');
      expectReplay(first, replay);
      expect(await countRows(t.dataSource, 'payments')).toBe(1);
      expect(await balance(1)).toBe(8_000);

      expectErrorBody(await pay(other.id, withKey(1, 'pay-1')), 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(await orderStatusRow(other.id)).toBe('PENDING_PAYMENT');
      expect(await balance(1)).toBe(8_000);
    });

    it('/payment: 409 INSUFFICIENT_BALANCE is replayed, even once the balance is there; a new key pays', async () => {
      const p = await insertProduct(t.dataSource, 1_000, 10);
      const order = await placed(1, [{ productId: p, quantity: 1 }]);
      const first = await pay(order.id, withKey(1, 'pay-later'));
      expectErrorBody(first, 409, 'INSUFFICIENT_BALANCE');
      await setBalance(t.dataSource, 1, 1_000);

      expectReplay(first, await pay(order.id, withKey(1, 'pay-later')));
      expect(await balance(1)).toBe(1_000);
      expect(await orderStatusRow(order.id)).toBe('PENDING_PAYMENT');

      expect((await pay(order.id, withKey(1, 'pay-now'))).status).toBe(200);
      expect(await balance(1)).toBe(0);
    });

    it('/cancel: the same key replays the 200 without refunding or returning stock twice; on another order it is 422', async () => {
      const p = await insertProduct(t.dataSource, 1_000, 10);
      await setBalance(t.dataSource, 1, 5_000);
      const order = await placed(1, [{ productId: p, quantity: 2 }]);
      const other = await placed(1, [{ productId: p, quantity: 1 }]);
      await pay(order.id, t.auth(1)).expect(200);

      const first = await cancel(order.id, withKey(1, 'cancel-1'));
      const replay = await cancel(order.id, withKey(1, 'cancel-1'));

      expect(first.status).toBe(200);
      expect(first.body.status).toBe('CANCELLED');
      expectReplay(first, replay);
      expect(await balance(1)).toBe(5_000);
      expect(await productStock(p)).toBe(9);
      expect((await history(1)).items.filter((e) => e.type === 'REFUND')).toHaveLength(1);

      expectErrorBody(
        await cancel(other.id, withKey(1, 'cancel-1')),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect(await orderStatusRow(other.id)).toBe('PENDING_PAYMENT');
    });

    it('accepts a key of exactly 100 printable characters', async () => {
      const p = await insertProduct(t.dataSource, 1_000, 10);
      const key = '~'.repeat(50) + '!'.repeat(50);
      const body = { userId: 1, items: [{ productId: p, quantity: 1 }] };
      const first = await placeOrder(1, body, withKey(1, key));
      const replay = await placeOrder(1, body, withKey(1, key));
      expect(first.status).toBe(201);
      expectReplay(first, replay);
    });

    const badKeys: Array<[string, string]> = [
      ['empty', ''],
      ['101 characters', 'k'.repeat(101)],
      ['a tab (control character)', 'abc\tdef'],
    ];

    it.each(badKeys)(
      '400 for a key that is %s, on all three routes, and nothing happens',
      async (_label, key) => {
        const p = await insertProduct(t.dataSource, 1_000, 10);
        await setBalance(t.dataSource, 1, 5_000);
        const order = await placed(1, [{ productId: p, quantity: 1 }]);
        const paid = await placed(1, [{ productId: p, quantity: 1 }]);
        await pay(paid.id, t.auth(1)).expect(200);

        const responses = [
          await placeOrder(
            1,
            { userId: 1, items: [{ productId: p, quantity: 1 }] },
            withKey(1, key),
          ),
          await pay(order.id, withKey(1, key)),
          await cancel(paid.id, withKey(1, key)),
        ];

        for (const res of responses) {
          expectValidationError(res, 'Idempotency-Key');
        }
        expect(await countRows(t.dataSource, 'orders')).toBe(2);
        expect(await orderStatusRow(order.id)).toBe('PENDING_PAYMENT');
        expect(await orderStatusRow(paid.id)).toBe('PAID');
        expect(await countRows(t.dataSource, 'payments')).toBe(1);
        expect(await countRows(t.dataSource, 'idempotency_keys')).toBe(0);
      },
    );
  });

  describe('data platform outbox', () => {
    it('a payment is counted by GET /admin/outbox (admin only)', async () => {
      const OUTBOX = '/api/v1/admin/outbox';
      const empty = await api()
        .get(OUTBOX)
        .set(t.auth(ADMIN, { admin: true }))
        .expect(200);
      expect(empty.body).toStrictEqual({
        pending: 0,
        delivered: 0,
        failed: 0,
        oldestPendingSeconds: 0,
      });

      const p = await insertProduct(t.dataSource, 1_000, 10);
      await setBalance(t.dataSource, 1, 1_000);
      const order = await placed(1, [{ productId: p, quantity: 1 }]);
      expect(
        (
          await api()
            .get(OUTBOX)
            .set(t.auth(ADMIN, { admin: true }))
            .expect(200)
        ).body,
      ).toStrictEqual(empty.body);
      await pay(order.id, t.auth(1)).expect(200);

      const res = await api()
        .get(OUTBOX)
        .set(t.auth(ADMIN, { admin: true }))
        .expect(200);
      expect(res.body).toStrictEqual({
        pending: expect.any(Number),
        delivered: expect.any(Number),
        failed: 0,
        oldestPendingSeconds: expect.any(Number),
      });
      expect(res.body.pending + res.body.delivered).toBe(1);

      expectErrorBody(await api().get(OUTBOX).set(t.auth(1)), 403, 'FORBIDDEN', OUTBOX);
      expectErrorBody(await api().get(OUTBOX), 401, 'UNAUTHORIZED', OUTBOX);
    });

    it('POST /admin/outbox/retry requeues nothing when nothing FAILED (admin only)', async () => {
      const RETRY = '/api/v1/admin/outbox/retry';
      const res = await api()
        .post(RETRY)
        .set(t.auth(ADMIN, { admin: true }))
        .expect(200);
      expect(res.body).toStrictEqual({ requeued: 0 });
      expectErrorBody(await api().post(RETRY).set(t.auth(1)), 403, 'FORBIDDEN', RETRY);
      expectErrorBody(await api().post(RETRY), 401, 'UNAUTHORIZED', RETRY);
    });
  });
});

interface OrderBody {
  id: number;
  userId: number;
  status: string;
  items: Array<{
    productId: number;
    name: string;
    unitPrice: number;
    quantity: number;
    amount: number;
  }>;
  totalAmount: number;
  discountAmount: number;
  payAmount: number;
  issuedCouponId: number | null;
  createdAt: string;
  expiresAt: string;
  paidAt: string | null;
  closedAt: string | null;
  payment: { id: number; amount: number; paidAt: string; refundedAt: string | null } | null;
}
