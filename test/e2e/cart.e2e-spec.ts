import request from 'supertest';
import { expectErrorBody, expectValidationError } from '../support/error-assertions';
import { insertProduct, issueCouponDirectly } from '../support/fixtures';
import { useTestApp } from '../support/use-test-app';

const USER = 5;
const OTHER = 6;
const ORDER_KEYS = [
  'closedAt',
  'createdAt',
  'discountAmount',
  'expiresAt',
  'id',
  'issuedCouponId',
  'items',
  'paidAt',
  'payAmount',
  'payment',
  'status',
  'totalAmount',
  'userId',
].sort();

describe('cart (HTTP contract)', () => {
  const t = useTestApp();

  const api = () => request(t.baseUrl);
  const admin = () => t.auth(1, { admin: true });
  const cartPath = (userId: number | string = USER) => `/api/v1/users/${userId}/cart`;
  const itemPath = (productId: number | string, userId: number | string = USER) =>
    `${cartPath(userId)}/items/${productId}`;
  const getCart = (userId = USER, as = t.auth(userId)) => api().get(cartPath(userId)).set(as);
  const putItem = (productId: number | string, body: unknown, userId = USER, as = t.auth(userId)) =>
    api()
      .put(itemPath(productId, userId))
      .set(as)
      .send(body as object);
  const removeItem = (productId: number | string, userId = USER, as = t.auth(userId)) =>
    api().delete(itemPath(productId, userId)).set(as);
  const clearCart = (userId = USER, as = t.auth(userId)) => api().delete(cartPath(userId)).set(as);
  const checkout = (body?: unknown, userId = USER, as = t.auth(userId)) => {
    const req = api()
      .post(`${cartPath(userId)}/checkout`)
      .set(as);
    return body === undefined ? req : req.send(body as object);
  };
  const cartRows = async (userId = USER) =>
    (
      await t.dataSource.query<{ product_id: number; quantity: number }[]>(
        'SELECT product_id, quantity FROM cart_items WHERE user_id = ? ORDER BY product_id',
        [userId],
      )
    ).map((row) => [Number(row.product_id), Number(row.quantity)]);
  const orderCount = async () =>
    Number((await t.dataSource.query<{ n: number }[]>('SELECT COUNT(*) AS n FROM orders'))[0].n);

  describe('GET /users/:userId/cart', () => {
    it('is an empty cart for a user who never added anything', async () => {
      const res = await getCart().expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ items: [], totalAmount: 0 });
    });

    it('lists {productId, name, price, quantity, amount, stock} by productId with the total', async () => {
      const lamp = await insertProduct(t.dataSource, 25_000, 3, 'Lamp');
      const mug = await insertProduct(t.dataSource, 1_000, 10, 'Mug');
      await putItem(mug, { quantity: 2 }).expect(200);
      await putItem(lamp, { quantity: 1 }).expect(200);

      const res = await getCart().expect(200);

      expect(res.body).toEqual({
        items: [
          { productId: lamp, name: 'Lamp', price: 25_000, quantity: 1, amount: 25_000, stock: 3 },
          { productId: mug, name: 'Mug', price: 1_000, quantity: 2, amount: 2_000, stock: 10 },
        ],
        totalAmount: 27_000,
      });
    });

    it('shows the live price and stock after an admin restock and a price change', async () => {
      const mug = await insertProduct(t.dataSource, 1_000, 1, 'Mug');
      await putItem(mug, { quantity: 3 }).expect(200);
      expect((await getCart().expect(200)).body.items[0]).toMatchObject({
        price: 1_000,
        stock: 1,
        amount: 3_000,
      });

      await api()
        .post(`/api/v1/products/${mug}/stock`)
        .set(admin())
        .send({ quantity: 9 })
        .expect(200);
      // The contract has no price route; the catalogue changes it underneath the cart.
      await t.dataSource.query('UPDATE products SET price = 1500, name = ? WHERE id = ?', [
        'Big mug',
        mug,
      ]);

      const res = await getCart().expect(200);
      expect(res.body).toEqual({
        items: [
          { productId: mug, name: 'Big mug', price: 1_500, quantity: 3, amount: 4_500, stock: 10 },
        ],
        totalAmount: 4_500,
      });
    });

    it("401 without a token, 403 for another user's cart, 200 for an admin", async () => {
      const mug = await insertProduct(t.dataSource, 1_000, 1);
      await putItem(mug, { quantity: 1 }).expect(200);
      expectErrorBody(await api().get(cartPath()), 401, 'UNAUTHORIZED', cartPath());
      expectErrorBody(await getCart(USER, t.auth(OTHER)), 403, 'FORBIDDEN', cartPath());
      expect((await getCart(USER, admin()).expect(200)).body.items).toHaveLength(1);
    });

    it.each(['0', '-1', 'abc', '1.5', '1e3', '99999999999999999999'])(
      'rejects the user id %p with 400',
      async (id) => {
        expectValidationError(await api().get(cartPath(id)).set(t.auth(1)), 'userId');
      },
    );
  });

  describe('PUT /users/:userId/cart/items/:productId', () => {
    it('adds an absent line: 200 with the whole cart', async () => {
      const mug = await insertProduct(t.dataSource, 1_000, 10, 'Mug');
      const res = await putItem(mug, { quantity: 2 });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        items: [
          { productId: mug, name: 'Mug', price: 1_000, quantity: 2, amount: 2_000, stock: 10 },
        ],
        totalAmount: 2_000,
      });
      expect(await cartRows()).toEqual([[mug, 2]]);
    });

    it('sets (replaces) the quantity of an existing line, never a second row', async () => {
      const mug = await insertProduct(t.dataSource, 1_000, 10);
      await putItem(mug, { quantity: 2 }).expect(200);
      const res = await putItem(mug, { quantity: 5 }).expect(200);
      expect(res.body.items).toEqual([
        expect.objectContaining({ productId: mug, quantity: 5, amount: 5_000 }),
      ]);
      expect(await cartRows()).toEqual([[mug, 5]]);
    });

    it('accepts more than the stock, and the cart shows the stock', async () => {
      const lamp = await insertProduct(t.dataSource, 25_000, 2);
      const res = await putItem(lamp, { quantity: 1_000 }).expect(200);
      expect(res.body.items[0]).toMatchObject({ quantity: 1_000, stock: 2, amount: 25_000_000 });
    });

    it('accepts exactly 1 and exactly 1000', async () => {
      const mug = await insertProduct(t.dataSource, 1, 1);
      await putItem(mug, { quantity: 1 }).expect(200);
      await putItem(mug, { quantity: 1_000 }).expect(200);
    });

    it('is 404 PRODUCT_NOT_FOUND for an unknown product, writing nothing', async () => {
      expectErrorBody(
        await putItem(4242, { quantity: 1 }),
        404,
        'PRODUCT_NOT_FOUND',
        itemPath(4242),
      );
      expect(await cartRows()).toEqual([]);
    });

    it('holds at most 50 products: the 51st is 400 VALIDATION_FAILED; a held one may still change', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 51; i++) ids.push(await insertProduct(t.dataSource, 100, 10));
      for (const id of ids.slice(0, 50)) await putItem(id, { quantity: 1 }).expect(200);

      const res = await putItem(ids[50], { quantity: 1 });

      expectValidationError(res, 'productId');
      expect(res.body.details[0].reason).toMatch(/50/);
      expect(await cartRows()).toHaveLength(50);
      await putItem(ids[0], { quantity: 7 }).expect(200);
      await removeItem(ids[1]).expect(200);
      await putItem(ids[50], { quantity: 1 }).expect(200);
      expect(await cartRows()).toHaveLength(50);
    });

    it.each([
      ['quantity 0', { quantity: 0 }],
      ['quantity 1001', { quantity: 1_001 }],
      ['a fractional quantity', { quantity: 1.5 }],
      ['a negative quantity', { quantity: -2 }],
      ['a quantity as a string', { quantity: '2' }],
      ['a null quantity', { quantity: null }],
      ['a boolean quantity', { quantity: true }],
      ['an array quantity', { quantity: [2] }],
      ['no quantity', {}],
    ])('rejects %s with 400 naming quantity, writing nothing', async (_label, body) => {
      const mug = await insertProduct(t.dataSource, 1_000, 10);
      expectValidationError(await putItem(mug, body), 'quantity');
      expect(await cartRows()).toEqual([]);
    });

    it('rejects unknown fields with 400', async () => {
      const mug = await insertProduct(t.dataSource, 1_000, 10);
      expectValidationError(await putItem(mug, { quantity: 1, price: 1 }), 'price');
      expectValidationError(
        await putItem(mug, { quantity: 1, userId: USER, productId: mug }),
        'userId',
        'productId',
      );
      expect(await cartRows()).toEqual([]);
    });

    it('rejects a body that is not an object', async () => {
      const mug = await insertProduct(t.dataSource, 1_000, 10);
      const res = await api()
        .put(itemPath(mug))
        .set(t.auth(USER))
        .set('Content-Type', 'application/json')
        .send('[2]');
      expectErrorBody(res, 400, 'VALIDATION_FAILED');
      expect(await cartRows()).toEqual([]);
    });

    it.each(['0', '-1', 'abc', '1.5', '1e3', '0x10', '99999999999999999999'])(
      'rejects the product id %p in the path with 400',
      async (id) => {
        expectValidationError(await putItem(id, { quantity: 1 }), 'productId');
      },
    );

    it("401 without a token, 403 on another user's cart (writing nothing), 200 for an admin", async () => {
      const mug = await insertProduct(t.dataSource, 1_000, 10);
      expectErrorBody(await api().put(itemPath(mug)).send({ quantity: 1 }), 401, 'UNAUTHORIZED');
      expectErrorBody(
        await putItem(mug, { quantity: 1 }, USER, t.auth(OTHER)),
        403,
        'FORBIDDEN',
        itemPath(mug),
      );
      expect(await cartRows()).toEqual([]);
      await putItem(mug, { quantity: 1 }, USER, admin()).expect(200);
      expect(await cartRows()).toEqual([[mug, 1]]);
    });
  });

  describe('DELETE /users/:userId/cart/items/:productId', () => {
    it('removes the line: 200 with the rest of the cart', async () => {
      const mug = await insertProduct(t.dataSource, 1_000, 10, 'Mug');
      const pen = await insertProduct(t.dataSource, 300, 10, 'Pen');
      await putItem(mug, { quantity: 1 }).expect(200);
      await putItem(pen, { quantity: 2 }).expect(200);

      const res = await removeItem(mug);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        items: [{ productId: pen, name: 'Pen', price: 300, quantity: 2, amount: 600, stock: 10 }],
        totalAmount: 600,
      });
      expect(await cartRows()).toEqual([[pen, 2]]);
    });

    it('is still 200 for a line that is not there (or a product that does not exist)', async () => {
      const mug = await insertProduct(t.dataSource, 1_000, 10);
      await putItem(mug, { quantity: 1 }).expect(200);
      expect((await removeItem(987_654).expect(200)).body.items).toHaveLength(1);
      await removeItem(mug).expect(200);
      expect((await removeItem(mug).expect(200)).body).toEqual({ items: [], totalAmount: 0 });
    });

    it.each(['0', 'abc', '1.5'])('rejects the product id %p with 400', async (id) => {
      expectValidationError(await removeItem(id), 'productId');
    });

    it("401 without a token, 403 on another user's cart (removing nothing)", async () => {
      const mug = await insertProduct(t.dataSource, 1_000, 10);
      await putItem(mug, { quantity: 1 }).expect(200);
      expectErrorBody(await api().delete(itemPath(mug)), 401, 'UNAUTHORIZED');
      expectErrorBody(await removeItem(mug, USER, t.auth(OTHER)), 403, 'FORBIDDEN');
      expect(await cartRows()).toEqual([[mug, 1]]);
    });
  });

  describe('DELETE /users/:userId/cart', () => {
    it("empties the cart: 200 with the empty cart, other users' carts untouched", async () => {
      const mug = await insertProduct(t.dataSource, 1_000, 10);
      const pen = await insertProduct(t.dataSource, 300, 10);
      await putItem(mug, { quantity: 1 }).expect(200);
      await putItem(pen, { quantity: 2 }).expect(200);
      await putItem(mug, { quantity: 4 }, OTHER).expect(200);

      const res = await clearCart();

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: [], totalAmount: 0 });
      expect(await cartRows()).toEqual([]);
      expect(await cartRows(OTHER)).toEqual([[mug, 4]]);
      expect((await clearCart().expect(200)).body).toEqual({ items: [], totalAmount: 0 });
    });

    it("401 without a token, 403 on another user's cart (clearing nothing), 200 for an admin", async () => {
      const mug = await insertProduct(t.dataSource, 1_000, 10);
      await putItem(mug, { quantity: 1 }).expect(200);
      expectErrorBody(await api().delete(cartPath()), 401, 'UNAUTHORIZED');
      expectErrorBody(await clearCart(USER, t.auth(OTHER)), 403, 'FORBIDDEN', cartPath());
      expect(await cartRows()).toEqual([[mug, 1]]);
      await clearCart(USER, admin()).expect(200);
      expect(await cartRows()).toEqual([]);
    });
  });

  describe('POST /users/:userId/cart/checkout', () => {
    async function fillCart(): Promise<{ mug: number; pen: number; lamp: number }> {
      const mug = await insertProduct(t.dataSource, 1_000, 10, 'Mug');
      const pen = await insertProduct(t.dataSource, 300, 10, 'Pen');
      const lamp = await insertProduct(t.dataSource, 25_000, 10, 'Lamp');
      await putItem(mug, { quantity: 2 }).expect(200);
      await putItem(pen, { quantity: 3 }).expect(200);
      await putItem(lamp, { quantity: 1 }).expect(200);
      return { mug, pen, lamp };
    }

    it('201 with the order (as POST /orders) of every line, and the cart is empty', async () => {
      const { mug, pen, lamp } = await fillCart();

      const res = await checkout({});

      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual(ORDER_KEYS);
      expect(res.body).toMatchObject({
        userId: USER,
        status: 'PENDING_PAYMENT',
        items: [
          { productId: mug, name: 'Mug', unitPrice: 1_000, quantity: 2, amount: 2_000 },
          { productId: pen, name: 'Pen', unitPrice: 300, quantity: 3, amount: 900 },
          { productId: lamp, name: 'Lamp', unitPrice: 25_000, quantity: 1, amount: 25_000 },
        ],
        totalAmount: 27_900,
        discountAmount: 0,
        payAmount: 27_900,
        issuedCouponId: null,
        paidAt: null,
        closedAt: null,
        payment: null,
      });
      expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
      expect(new Date(res.body.expiresAt).getTime()).toBeGreaterThan(
        new Date(res.body.createdAt).getTime(),
      );
      expect((await getCart().expect(200)).body).toEqual({ items: [], totalAmount: 0 });
      const order = await api().get(`/api/v1/orders/${res.body.id}`).set(t.auth(USER)).expect(200);
      expect(order.body).toEqual(res.body);
    });

    it('accepts a request without a body as "every line"', async () => {
      await fillCart();
      const res = await checkout();
      expect(res.status).toBe(201);
      expect(res.body.items).toHaveLength(3);
    });

    it('orders only the named products and keeps the other lines', async () => {
      const { mug, pen, lamp } = await fillCart();

      const res = await checkout({ productIds: [lamp, mug] }).expect(201);

      expect(res.body.items.map((i: { productId: number }) => i.productId)).toEqual([mug, lamp]);
      expect(res.body.totalAmount).toBe(27_000);
      expect(
        (await getCart().expect(200)).body.items.map((i: { productId: number }) => i.productId),
      ).toEqual([pen]);
    });

    it('applies an issued coupon', async () => {
      await fillCart();
      const couponId = await issueCouponDirectly(t.dataSource, USER, { discountValue: 2_900 });
      const res = await checkout({ issuedCouponId: couponId }).expect(201);
      expect(res.body).toMatchObject({
        totalAmount: 27_900,
        discountAmount: 2_900,
        payAmount: 25_000,
        issuedCouponId: couponId,
      });
    });

    it('is 409 CART_EMPTY for an empty cart, and for product ids none of which is in the cart', async () => {
      expectErrorBody(await checkout({}), 409, 'CART_EMPTY', `${cartPath()}/checkout`);
      const { mug } = await fillCart();
      await removeItem(mug).expect(200);
      expectErrorBody(await checkout({ productIds: [mug, 987_654] }), 409, 'CART_EMPTY');
      expect(await orderCount()).toBe(0);
      expect(await cartRows()).toHaveLength(2);
    });

    it('is 409 OUT_OF_STOCK when a line asks for more than the stock, and the cart stays as it was', async () => {
      const { lamp } = await fillCart();
      await putItem(lamp, { quantity: 11 }).expect(200);
      const before = await cartRows();

      expectErrorBody(await checkout({}), 409, 'OUT_OF_STOCK');

      expect(await cartRows()).toEqual(before);
      expect(await orderCount()).toBe(0);
    });

    it('is 409 COUPON_NOT_USABLE / 404 ISSUED_COUPON_NOT_FOUND for a bad coupon, the cart unchanged', async () => {
      await fillCart();
      const before = await cartRows();
      const othersCoupon = await issueCouponDirectly(t.dataSource, OTHER);
      expectErrorBody(await checkout({ issuedCouponId: othersCoupon }), 409, 'COUPON_NOT_USABLE');
      expectErrorBody(await checkout({ issuedCouponId: 987_654 }), 404, 'ISSUED_COUPON_NOT_FOUND');
      expect(await cartRows()).toEqual(before);
      expect(await orderCount()).toBe(0);
    });

    it.each([
      ['an empty productIds', { productIds: [] }],
      ['duplicate productIds', { productIds: [1, 1] }],
      ['a fractional product id', { productIds: [1.5] }],
      ['a product id as a string', { productIds: ['1'] }],
      ['a zero product id', { productIds: [0] }],
      ['a negative product id', { productIds: [-3] }],
      ['a null product id', { productIds: [null] }],
      ['null productIds', { productIds: null }],
      ['productIds that is not a list', { productIds: 1 }],
      ['51 productIds', { productIds: Array.from({ length: 51 }, (_, i) => i + 1) }],
    ])('rejects %s with 400 naming productIds, changing nothing', async (_label, body) => {
      await fillCart();
      expectValidationError(await checkout(body), 'productIds');
      expect(await cartRows()).toHaveLength(3);
      expect(await orderCount()).toBe(0);
    });

    it.each([
      ['a string issuedCouponId', { issuedCouponId: '3' }, 'issuedCouponId'],
      ['a zero issuedCouponId', { issuedCouponId: 0 }, 'issuedCouponId'],
      ['an unknown field', { productIds: [1], userId: USER }, 'userId'],
      ['items, as POST /orders takes', { items: [{ productId: 1, quantity: 1 }] }, 'items'],
    ])('rejects %s with 400', async (_label, body, field) => {
      await fillCart();
      expectValidationError(await checkout(body), field);
      expect(await cartRows()).toHaveLength(3);
    });

    it("401 without a token, 403 on another user's cart (ordering nothing), 201 for an admin", async () => {
      await fillCart();
      expectErrorBody(await api().post(`${cartPath()}/checkout`).send({}), 401, 'UNAUTHORIZED');
      expectErrorBody(
        await checkout({}, USER, t.auth(OTHER)),
        403,
        'FORBIDDEN',
        `${cartPath()}/checkout`,
      );
      expect(await orderCount()).toBe(0);
      const res = await checkout({}, USER, admin()).expect(201);
      expect(res.body.userId).toBe(USER);
    });

    describe('Idempotency-Key', () => {
      const keyed = (key: string, body: object) =>
        api()
          .post(`${cartPath()}/checkout`)
          .set(t.auth(USER))
          .set('Idempotency-Key', key)
          .send(body);

      it('replays the first 201 and its order, without ordering again', async () => {
        const { pen } = await fillCart();

        const first = await keyed('checkout-1', {});
        const again = await keyed('checkout-1', {});

        expect(first.status).toBe(201);
        expect(first.headers['idempotent-replayed']).toBeUndefined();
        expect(again.status).toBe(201);
        expect(again.headers['idempotent-replayed']).toBe('true');
        expect(again.body).toEqual(first.body);
        expect(await orderCount()).toBe(1);
        // The cart was emptied once; a replay is not a new (empty-cart) checkout.
        await putItem(pen, { quantity: 1 }).expect(200);
        expect((await keyed('checkout-1', {})).body).toEqual(first.body);
        expect(await cartRows()).toEqual([[pen, 1]]);
        expect(await orderCount()).toBe(1);
      });

      it('is 422 IDEMPOTENCY_KEY_REUSED for the same key with another body', async () => {
        const { mug } = await fillCart();
        await keyed('checkout-2', { productIds: [mug] }).expect(201);
        expectErrorBody(await keyed('checkout-2', {}), 422, 'IDEMPOTENCY_KEY_REUSED');
        expect(await orderCount()).toBe(1);
        expect(await cartRows()).toHaveLength(2);
      });

      it('replays a refused checkout as it was first answered (409 CART_EMPTY), even once the cart is full', async () => {
        const first = await keyed('checkout-3', {});
        expectErrorBody(first, 409, 'CART_EMPTY');
        await fillCart();
        const res = await keyed('checkout-3', {});
        expect([res.status, res.headers['idempotent-replayed']]).toEqual([409, 'true']);
        expect(res.body).toStrictEqual(first.body);
        expect((await keyed('checkout-4', {})).status).toBe(201);
      });

      it('does not use up a key on a checkout refused before it ran (400)', async () => {
        expectErrorBody(await keyed('checkout-5', { productIds: 'all' }), 400, 'VALIDATION_FAILED');
        await fillCart();
        const res = await keyed('checkout-5', {});
        expect(res.status).toBe(201);
        expect(res.headers['idempotent-replayed']).toBeUndefined();
      });
    });
  });

  describe('Swagger', () => {
    it('documents every cart route under the cart tag, with its operationId, body and error codes', async () => {
      const { body: doc } = await api().get('/docs-json').expect(200);
      const op = (path: string, method: string) =>
        doc.paths[`/api/v1/users/{userId}/cart${path}`]?.[method];
      const routes: Array<[string, string, string, string[]]> = [
        ['', 'get', 'getCart', ['200', '400', '401', '403']],
        ['/items/{productId}', 'put', 'setCartItem', ['200', '400', '401', '403', '404']],
        ['/items/{productId}', 'delete', 'removeCartItem', ['200', '400', '401', '403']],
        ['', 'delete', 'clearCart', ['200', '400', '401', '403']],
        ['/checkout', 'post', 'checkoutCart', ['201', '400', '401', '403', '404', '409', '422']],
      ];
      for (const [path, method, operationId, statuses] of routes) {
        const operation = op(path, method);
        expect({ path, method, operationId: operation?.operationId }).toEqual({
          path,
          method,
          operationId,
        });
        expect(operation.tags).toEqual(['cart']);
        expect(operation.summary).toEqual(expect.any(String));
        expect((operation.security ?? []).length).toBeGreaterThan(0);
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(statuses));
      }
      const conflicts = op('/checkout', 'post').responses['409'].description as string;
      for (const code of [
        'CART_EMPTY',
        'OUT_OF_STOCK',
        'COUPON_NOT_USABLE',
        'IDEMPOTENCY_KEY_IN_PROGRESS',
      ]) {
        expect(conflicts).toContain(code);
      }
      expect(op('/items/{productId}', 'put').responses['400'].description).toContain(
        'VALIDATION_FAILED',
      );
      expect(op('/items/{productId}', 'put').description).toMatch(/50/);
      expect(op('/checkout', 'post').parameters).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }),
        ]),
      );
      expect(
        op('/checkout', 'post').responses['201'].content['application/json'].schema.$ref,
      ).toMatch(/OrderResponse$/);
      expect(doc.components.schemas.SetCartItemDto.properties.quantity).toMatchObject({
        minimum: 1,
        maximum: 1000,
        example: 2,
      });
      expect(doc.components.schemas.CheckoutCartDto.properties.productIds).toMatchObject({
        minItems: 1,
        maxItems: 50,
      });
      expect(doc.components.schemas.CartResponse.required).toEqual(
        expect.arrayContaining(['items', 'totalAmount']),
      );
    });
  });
});
