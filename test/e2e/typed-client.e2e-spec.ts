import createClient, { Client } from 'openapi-fetch';
import type { components, paths } from '../client/schema';
import { useTestApp } from '../support/use-test-app';

type Order = components['schemas']['OrderResponse'];
/** The codes payOrder documents for 409: the compiler checks this list against the document. */
type PayConflict = NonNullable<
  paths['/api/v1/orders/{orderId}/payment']['post']['responses'][409]['content']['application/json']['code']
>;
const NOT_PAYABLE: PayConflict = 'ORDER_NOT_PAYABLE';

/**
 * A frontend's whole purchase, written only against the client generated from
 * docs/openapi.json (test/client/schema.d.ts, `npm run openapi`). When the API and the document
 * drift apart, either `npm run typecheck` fails here (a path, field or code that no longer
 * exists) or this test does (a response the types promised but the server did not give), and
 * the e2e response check validates every answer against the document as well.
 */
describe('typed client (openapi-fetch + openapi-typescript)', () => {
  const t = useTestApp({ reset: 'once' });
  let admin: Client<paths>;
  let user: Client<paths>;
  const userId = 7;

  beforeAll(async () => {
    const client = (token: string) =>
      createClient<paths>({ baseUrl: t.baseUrl, headers: { Authorization: `Bearer ${token}` } });
    admin = client(t.token(1, { admin: true }));
    user = client(t.token(userId));
  });

  it('charges, gets a coupon the admin created, orders with it, pays and reads the order', async () => {
    const product = await admin.POST('/api/v1/products', {
      body: { name: 'Typed Earbuds', price: 20_000, stock: 10 },
    });
    expect(product.response.status).toBe(201);
    const productId = product.data!.id;

    const charged = await user.POST('/api/v1/users/{userId}/balance/charge', {
      params: { path: { userId } },
      body: { amount: 50_000 },
    });
    expect(charged.data).toEqual({ userId, balance: 50_000 });

    const coupon = await admin.POST('/api/v1/coupons', {
      body: {
        name: 'Typed 3,000 KRW',
        discountType: 'FIXED',
        discountValue: 3_000,
        totalQuantity: 10,
        validDays: 7,
      },
    });
    expect(coupon.response.status).toBe(201);
    expect(coupon.data).toMatchObject({ issuedQuantity: 0, remainingQuantity: 10 });

    const issued = await user.POST('/api/v1/users/{userId}/coupons', {
      params: { path: { userId } },
      body: { couponId: coupon.data!.id },
    });
    expect(issued.response.status).toBe(201);
    expect(issued.data).toMatchObject({ couponId: coupon.data!.id, userId, status: 'AVAILABLE' });

    const placed = await user.POST('/api/v1/orders', {
      params: { header: { 'Idempotency-Key': `typed-order-${Date.now()}` } },
      body: { userId, items: [{ productId, quantity: 2 }], issuedCouponId: issued.data!.id },
    });
    expect(placed.response.status).toBe(201);
    const order: Order = placed.data!;
    expect(order).toMatchObject({
      status: 'PENDING_PAYMENT',
      totalAmount: 40_000,
      discountAmount: 3_000,
      payAmount: 37_000,
      issuedCouponId: issued.data!.id,
      paidAt: null,
      payment: null,
    });

    const paid = await user.POST('/api/v1/orders/{orderId}/payment', {
      params: { path: { orderId: order.id } },
    });
    expect(paid.response.status).toBe(200);
    expect(paid.data).toMatchObject({ status: 'PAID', payment: { amount: 37_000 } });

    const read = await user.GET('/api/v1/orders/{orderId}', {
      params: { path: { orderId: order.id } },
    });
    expect(read.data).toEqual(paid.data);
    expect(read.data!.items).toEqual([
      { productId, name: 'Typed Earbuds', unitPrice: 20_000, quantity: 2, amount: 40_000 },
    ]);

    const balance = await user.GET('/api/v1/users/{userId}/balance', {
      params: { path: { userId } },
    });
    expect(balance.data!.balance).toBe(13_000);

    // Errors are typed too: the 409 body's code is one of the codes the document lists.
    const again = await user.POST('/api/v1/orders/{orderId}/payment', {
      params: { path: { orderId: order.id } },
    });
    expect(again.response.status).toBe(409);
    expect(again.error?.code).toBe(NOT_PAYABLE);
  });
});
