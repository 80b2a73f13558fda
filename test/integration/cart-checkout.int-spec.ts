import request from 'supertest';
import { countRows, insertProduct, issueCouponDirectly, stockOf } from '../support/fixtures';
import { TestApp } from '../support/test-app';
import { useTwoTestApps } from '../support/use-test-app';

interface OrderBody {
  id: number;
  userId: number;
  items: Array<{ productId: number; quantity: number; unitPrice: number; amount: number }>;
  totalAmount: number;
  discountAmount: number;
  payAmount: number;
  issuedCouponId: number | null;
}

/** Cart checkout against the real database; every race runs on two application instances. */
describe('cart checkout (two app instances, real database)', () => {
  const { a, b, either } = useTwoTestApps();

  const putItem = (app: TestApp, userId: number, productId: number, quantity: number) =>
    request(app.baseUrl)
      .put(`/api/v1/users/${userId}/cart/items/${productId}`)
      .set(app.auth(userId))
      .send({ quantity });
  const checkout = (app: TestApp, userId: number, body: object = {}) =>
    request(app.baseUrl)
      .post(`/api/v1/users/${userId}/cart/checkout`)
      .set(app.auth(userId))
      .send(body);

  /** The user's cart rows as [productId, quantity], by product id. */
  const cartRows = async (userId: number): Promise<Array<[number, number]>> => {
    const rows = await a.dataSource.query<{ product_id: number; quantity: number }[]>(
      'SELECT product_id, quantity FROM cart_items WHERE user_id = ? ORDER BY product_id',
      [userId],
    );
    return rows.map((row) => [Number(row.product_id), Number(row.quantity)]);
  };
  /** Units of each product across every order's lines. */
  const orderedUnits = async (): Promise<Map<number, { lines: number; units: number }>> => {
    const rows = await a.dataSource.query<
      { product_id: number; line_count: number; units: number }[]
    >(
      'SELECT product_id, COUNT(*) AS line_count, SUM(quantity) AS units FROM order_items GROUP BY product_id',
    );
    return new Map(
      rows.map((row) => [
        Number(row.product_id),
        { lines: Number(row.line_count), units: Number(row.units) },
      ]),
    );
  };
  const fill = async (userId: number, lines: Array<[number, number]>) => {
    for (const [productId, quantity] of lines)
      await putItem(a, userId, productId, quantity).expect(200);
  };

  describe('checkout', () => {
    it('moves every line into one order at the current prices and empties the cart', async () => {
      const mug = await insertProduct(a.dataSource, 1_000, 10, 'Mug');
      const lamp = await insertProduct(a.dataSource, 2_500, 5, 'Lamp');
      await fill(7, [
        [lamp, 1],
        [mug, 2],
      ]);
      await a.dataSource.query('UPDATE products SET price = 1200 WHERE id = ?', [mug]);

      const res = await checkout(a, 7).expect(201);
      const order = res.body as OrderBody;

      expect(order).toMatchObject({
        userId: 7,
        status: 'PENDING_PAYMENT',
        items: [
          { productId: mug, name: 'Mug', unitPrice: 1_200, quantity: 2, amount: 2_400 },
          { productId: lamp, name: 'Lamp', unitPrice: 2_500, quantity: 1, amount: 2_500 },
        ],
        totalAmount: 4_900,
        discountAmount: 0,
        payAmount: 4_900,
        issuedCouponId: null,
        paidAt: null,
      });
      expect(await cartRows(7)).toEqual([]);
      expect(await countRows(a.dataSource, 'orders')).toBe(1);
      expect(await countRows(a.dataSource, 'order_items')).toBe(2);
      expect(await stockOf(a.dataSource, mug)).toBe(8);
      expect(await stockOf(a.dataSource, lamp)).toBe(4);
      const stored = await request(a.baseUrl)
        .get(`/api/v1/orders/${order.id}`)
        .set(a.auth(7))
        .expect(200);
      expect(stored.body).toEqual(order);
    });

    it('with productIds orders only those lines and keeps the others (ids not in the cart are ignored)', async () => {
      const [p1, p2, p3] = [
        await insertProduct(a.dataSource, 100, 10),
        await insertProduct(a.dataSource, 200, 10),
        await insertProduct(a.dataSource, 300, 10),
      ];
      const absent = await insertProduct(a.dataSource, 400, 10);
      await fill(7, [
        [p1, 1],
        [p2, 2],
        [p3, 3],
      ]);

      const res = await checkout(a, 7, { productIds: [p3, p1, absent] }).expect(201);

      expect((res.body as OrderBody).items.map((i) => [i.productId, i.quantity])).toEqual([
        [p1, 1],
        [p3, 3],
      ]);
      expect(await cartRows(7)).toEqual([[p2, 2]]);
      expect(await stockOf(a.dataSource, p2)).toBe(10);
      expect(await stockOf(a.dataSource, absent)).toBe(10);

      const rest = await checkout(a, 7).expect(201);
      expect((rest.body as OrderBody).items.map((i) => [i.productId, i.quantity])).toEqual([
        [p2, 2],
      ]);
      expect(await cartRows(7)).toEqual([]);
    });

    it("never touches another user's cart", async () => {
      const p = await insertProduct(a.dataSource, 100, 10);
      await fill(7, [[p, 1]]);
      await fill(8, [[p, 4]]);

      await checkout(a, 7).expect(201);

      expect(await cartRows(7)).toEqual([]);
      expect(await cartRows(8)).toEqual([[p, 4]]);
    });

    it('uses an issued coupon: discount applied, coupon USED', async () => {
      const p = await insertProduct(a.dataSource, 10_000, 10);
      const couponId = await issueCouponDirectly(a.dataSource, 7, { discountValue: 3_000 });
      await fill(7, [[p, 2]]);

      const res = await checkout(a, 7, { issuedCouponId: couponId }).expect(201);

      expect(res.body).toMatchObject({
        totalAmount: 20_000,
        discountAmount: 3_000,
        payAmount: 17_000,
        issuedCouponId: couponId,
      });
      expect(await countRows(a.dataSource, 'issued_coupons', "status = 'USED'")).toBe(1);
      expect(await cartRows(7)).toEqual([]);
    });

    it('is 409 CART_EMPTY for an empty cart and for product ids none of which is in it', async () => {
      const p = await insertProduct(a.dataSource, 100, 10);
      const other = await insertProduct(a.dataSource, 100, 10);
      expect((await checkout(a, 7)).body.code).toBe('CART_EMPTY');

      await fill(7, [[p, 1]]);
      const res = await checkout(a, 7, { productIds: [other] });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CART_EMPTY');
      expect(await cartRows(7)).toEqual([[p, 1]]);
      expect(await countRows(a.dataSource, 'orders')).toBe(0);
    });
  });

  describe('a failed checkout changes nothing', () => {
    /** Everything a checkout could have changed. */
    const state = async (userId: number, productIds: number[]) => ({
      cart: await cartRows(userId),
      stock: await Promise.all(productIds.map((id) => stockOf(a.dataSource, id))),
      orders: await countRows(a.dataSource, 'orders'),
      orderItems: await countRows(a.dataSource, 'order_items'),
      coupons: await a.dataSource.query(
        'SELECT id, status, used_at FROM issued_coupons ORDER BY id',
      ),
    });

    it('one line out of stock: 409 OUT_OF_STOCK, no order, no stock taken, cart as it was', async () => {
      const plenty = await insertProduct(a.dataSource, 100, 10);
      const scarce = await insertProduct(a.dataSource, 100, 2);
      await fill(7, [
        [plenty, 3],
        [scarce, 3],
      ]);
      const before = await state(7, [plenty, scarce]);

      const res = await checkout(a, 7);

      expect(res.status).toBe(409);
      expect(res.body.code).toBe('OUT_OF_STOCK');
      expect(await state(7, [plenty, scarce])).toEqual(before);
      expect(before.cart).toEqual([
        [plenty, 3],
        [scarce, 3],
      ]);
      expect(before.orders).toBe(0);
    });

    it('stock sold between the plain check and the lock: still OUT_OF_STOCK and nothing changed', async () => {
      // The stock is enough when the cart is filled; another buyer takes it just before checkout.
      const p = await insertProduct(a.dataSource, 100, 3);
      await fill(7, [[p, 3]]);
      await request(b.baseUrl)
        .post('/api/v1/orders')
        .set(b.auth(8))
        .send({ userId: 8, items: [{ productId: p, quantity: 1 }] })
        .expect(201);

      const res = await checkout(b, 7);

      expect(res.body.code).toBe('OUT_OF_STOCK');
      expect(await cartRows(7)).toEqual([[p, 3]]);
      expect(await stockOf(a.dataSource, p)).toBe(2);
      expect(await countRows(a.dataSource, 'orders')).toBe(1);
    });

    it.each([
      ['below its minimum order amount', { minOrderAmount: 1_000_000 }, 7],
      ["someone else's", {}, 8],
    ])(
      'an unusable coupon (%s): 409 COUPON_NOT_USABLE, nothing changed',
      async (_label, coupon, holder) => {
        const p = await insertProduct(a.dataSource, 5_000, 10);
        const couponId = await issueCouponDirectly(a.dataSource, holder, {
          discountValue: 1_000,
          ...coupon,
        });
        await fill(7, [[p, 2]]);
        const before = await state(7, [p]);

        const res = await checkout(a, 7, { issuedCouponId: couponId });

        expect(res.status).toBe(409);
        expect(res.body.code).toBe('COUPON_NOT_USABLE');
        expect(await state(7, [p])).toEqual(before);
        expect(before.cart).toEqual([[p, 2]]);
      },
    );

    it('a coupon already used by an earlier order: COUPON_NOT_USABLE, the cart stays', async () => {
      const p = await insertProduct(a.dataSource, 5_000, 10);
      const couponId = await issueCouponDirectly(a.dataSource, 7, { discountValue: 1_000 });
      await fill(7, [[p, 1]]);
      await checkout(a, 7, { issuedCouponId: couponId }).expect(201);
      await fill(7, [[p, 2]]);
      const before = await state(7, [p]);

      const res = await checkout(a, 7, { issuedCouponId: couponId });

      expect(res.body.code).toBe('COUPON_NOT_USABLE');
      expect(await state(7, [p])).toEqual(before);
    });

    it('an unknown issued coupon: 404 ISSUED_COUPON_NOT_FOUND, nothing changed', async () => {
      const p = await insertProduct(a.dataSource, 5_000, 10);
      await fill(7, [[p, 1]]);
      const before = await state(7, [p]);

      const res = await checkout(a, 7, { issuedCouponId: 987_654 });

      expect(res.status).toBe(404);
      expect(res.body.code).toBe('ISSUED_COUPON_NOT_FOUND');
      expect(await state(7, [p])).toEqual(before);
    });

    it('a product that disappeared from the catalogue: 404 PRODUCT_NOT_FOUND, nothing changed', async () => {
      const kept = await insertProduct(a.dataSource, 100, 10);
      const gone = await insertProduct(a.dataSource, 100, 10);
      await fill(7, [
        [kept, 1],
        [gone, 1],
      ]);
      await a.dataSource.query('DELETE FROM products WHERE id = ?', [gone]);

      const res = await checkout(a, 7);

      expect(res.status).toBe(404);
      expect(res.body.code).toBe('PRODUCT_NOT_FOUND');
      expect(await cartRows(7)).toEqual([
        [kept, 1],
        [gone, 1],
      ]);
      expect(await stockOf(a.dataSource, kept)).toBe(10);
      expect(await countRows(a.dataSource, 'orders')).toBe(0);
    });
  });

  describe('under concurrency', () => {
    it.each([2, 10])(
      '%d simultaneous checkouts of one cart: one order, the others 409 CART_EMPTY, stock taken once',
      async (racers) => {
        const p1 = await insertProduct(a.dataSource, 1_000, 100);
        const p2 = await insertProduct(a.dataSource, 2_000, 100);
        await fill(7, [
          [p1, 3],
          [p2, 4],
        ]);

        const responses = await Promise.all(
          Array.from({ length: racers }, (_, i) => checkout(either(i), 7)),
        );

        const created = responses.filter((r) => r.status === 201);
        const rejected = responses.filter((r) => r.status !== 201);
        expect(created).toHaveLength(1);
        expect(rejected.map((r) => [r.status, r.body.code])).toEqual(
          Array(racers - 1).fill([409, 'CART_EMPTY']),
        );
        expect((created[0].body as OrderBody).items.map((i) => [i.productId, i.quantity])).toEqual([
          [p1, 3],
          [p2, 4],
        ]);
        expect(await countRows(a.dataSource, 'orders')).toBe(1);
        expect(await countRows(a.dataSource, 'order_items')).toBe(2);
        expect(await stockOf(a.dataSource, p1)).toBe(97);
        expect(await stockOf(a.dataSource, p2)).toBe(96);
        expect(await cartRows(7)).toEqual([]);
      },
    );

    it('overlapping partial checkouts: each line ends up in exactly one order, never two', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 6; i++) ids.push(await insertProduct(a.dataSource, 100 * (i + 1), 50));
      await fill(
        7,
        ids.map((id, i) => [id, i + 1]),
      );
      // Ten checkouts naming overlapping pairs (and two naming everything), on two instances.
      const selections: Array<number[] | undefined> = [
        ...ids.map((id, i) => [id, ids[(i + 1) % ids.length]]),
        [ids[5], ids[0], ids[3]],
        [ids[2], ids[4]],
        undefined,
        undefined,
      ];

      const responses = await Promise.all(
        selections.map((productIds, i) => checkout(either(i), 7, productIds ? { productIds } : {})),
      );

      const created = responses.filter((r) => r.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(
        responses
          .filter((r) => r.status !== 201)
          .every((r) => r.status === 409 && r.body.code === 'CART_EMPTY'),
      ).toBe(true);
      const units = await orderedUnits();
      ids.forEach((id, i) => expect(units.get(id)).toEqual({ lines: 1, units: i + 1 }));
      for (const [i, id] of ids.entries())
        expect(await stockOf(a.dataSource, id)).toBe(50 - (i + 1));
      expect(await countRows(a.dataSource, 'orders')).toBe(created.length);
      expect(await cartRows(7)).toEqual([]);
      // What the responses say matches what was stored.
      const fromResponses = created.flatMap((r) =>
        (r.body as OrderBody).items.map((item) => item.productId),
      );
      expect(fromResponses.sort((x, y) => x - y)).toEqual([...ids].sort((x, y) => x - y));
    });

    it('simultaneous checkouts of different users share the stock exactly', async () => {
      const p = await insertProduct(a.dataSource, 100, 10);
      for (let user = 100; user < 120; user++) await fill(user, [[p, 1]]);

      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => checkout(either(i), 100 + i)),
      );

      expect(responses.filter((r) => r.status === 201)).toHaveLength(10);
      expect(
        responses.filter((r) => r.status === 409).every((r) => r.body.code === 'OUT_OF_STOCK'),
      ).toBe(true);
      expect(await stockOf(a.dataSource, p)).toBe(0);
      expect(await countRows(a.dataSource, 'cart_items')).toBe(10);
    });

    it.each([
      ['an empty cart', 0],
      ['a cart holding other lines', 3],
    ])(
      'simultaneous PUTs of one line into %s, from two instances, leave exactly one row',
      async (_label, others) => {
        const p = await insertProduct(a.dataSource, 100, 10);
        const otherIds: number[] = [];
        for (let i = 0; i < others; i++) otherIds.push(await insertProduct(a.dataSource, 100, 10));
        await fill(
          7,
          otherIds.map((id) => [id, 1]),
        );

        const responses = await Promise.all(
          Array.from({ length: 12 }, (_, i) => putItem(either(i), 7, p, i + 1)),
        );

        expect(responses.map((r) => r.status)).toEqual(Array(12).fill(200));
        const rows = (await cartRows(7)).filter(([productId]) => productId === p);
        expect(rows).toHaveLength(1);
        expect(rows[0][1]).toBeGreaterThanOrEqual(1);
        expect(rows[0][1]).toBeLessThanOrEqual(12);
        expect(await cartRows(7)).toHaveLength(others + 1);
        const cart = await request(a.baseUrl)
          .get('/api/v1/users/7/cart')
          .set(a.auth(7))
          .expect(200);
        expect(
          cart.body.items.filter((item: { productId: number }) => item.productId === p),
        ).toEqual([expect.objectContaining({ productId: p, quantity: rows[0][1] })]);
      },
    );

    it('simultaneous PUTs of new products never take a cart past 50 lines', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 60; i++) ids.push(await insertProduct(a.dataSource, 100, 10));
      const now = new Date();
      await a.dataSource.query(
        `INSERT INTO cart_items (user_id, product_id, quantity, created_at, updated_at) VALUES ${ids
          .slice(0, 48)
          .map(() => '(7, ?, 1, ?, ?)')
          .join(', ')}`,
        ids.slice(0, 48).flatMap((id) => [id, now, now]),
      );

      const responses = await Promise.all(
        ids.slice(48).map((id, i) => putItem(either(i), 7, id, 1)),
      );

      expect(responses.filter((r) => r.status === 200)).toHaveLength(2);
      const refused = responses.filter((r) => r.status !== 200);
      expect(refused.map((r) => [r.status, r.body.code])).toEqual(
        Array(10).fill([400, 'VALIDATION_FAILED']),
      );
      expect(await cartRows(7)).toHaveLength(50);
    });

    it('a PUT racing a checkout is never lost: its line is either in the order or still in the cart', async () => {
      for (let round = 0; round < 5; round++) {
        await a.reset();
        const kept = await insertProduct(a.dataSource, 100, 100);
        const added = await insertProduct(a.dataSource, 100, 100);
        await fill(7, [[kept, 2]]);

        const [done, put] = await Promise.all([
          checkout(either(round), 7),
          putItem(either(round + 1), 7, added, 5),
        ]);

        expect(done.status).toBe(201);
        expect(put.status).toBe(200);
        const ordered = (done.body as OrderBody).items.map((i) => [i.productId, i.quantity]);
        const cart = await cartRows(7);
        if (ordered.length === 2) {
          expect(ordered).toEqual([
            [kept, 2],
            [added, 5],
          ]);
          expect(cart).toEqual([]);
        } else {
          expect(ordered).toEqual([[kept, 2]]);
          expect(cart).toEqual([[added, 5]]);
        }
      }
    });
  });
});
