import request from 'supertest';
import { PRODUCT_STOCK_MAX } from '../../src/modules/product/domain/product';
import { insertProduct, stockOf } from '../support/fixtures';
import { waitFor } from '../support/keyed-traffic';
import { useTestApp } from '../support/use-test-app';

/** Stock never vanishes: units that orders hold always have room to come back. */
describe('restock and returned stock (real database)', () => {
  const t = useTestApp();

  const api = () => request(t.baseUrl);
  const restock = (productId: number, quantity: number) =>
    api()
      .post(`/api/v1/products/${productId}/stock`)
      .set(t.auth(1, { admin: true }))
      .send({ quantity });
  const order = async (productId: number, quantity: number) =>
    (
      await api()
        .post('/api/v1/orders')
        .set(t.auth(2))
        .send({ userId: 2, items: [{ productId, quantity }] })
        .expect(201)
    ).body as { id: number };
  const reservedOf = async (productId: number) =>
    Number(
      (await t.dataSource.query('SELECT reserved FROM products WHERE id = ?', [productId]))[0]
        .reserved,
    );

  it('refuses a restock that leaves no room for the units orders hold; a cancel then returns all of them', async () => {
    const product = await insertProduct(t.dataSource, 1_000, 10);
    const placed = await order(product, 4);
    expect([await stockOf(t.dataSource, product), await reservedOf(product)]).toEqual([6, 4]);

    // To the cap by stock alone: before, this was accepted and the cancel below clamped 4 units away.
    const refused = await restock(product, PRODUCT_STOCK_MAX - 6);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [
        {
          field: 'quantity',
          reason: expect.stringContaining(`at most ${PRODUCT_STOCK_MAX - 10} units can be added`),
        },
      ],
    });
    expect([await stockOf(t.dataSource, product), await reservedOf(product)]).toEqual([6, 4]);

    expect((await restock(product, PRODUCT_STOCK_MAX - 10).expect(200)).body.stock).toBe(
      PRODUCT_STOCK_MAX - 4,
    );
    await api().post(`/api/v1/orders/${placed.id}/cancel`).set(t.auth(2)).expect(200);

    expect([await stockOf(t.dataSource, product), await reservedOf(product)]).toEqual([
      PRODUCT_STOCK_MAX,
      0,
    ]);
  });

  it('counts paid orders as holding their units, and expiry gives them back too', async () => {
    const product = await insertProduct(t.dataSource, 0, 10);
    const paid = await order(product, 3);
    await api().post(`/api/v1/orders/${paid.id}/payment`).set(t.auth(2)).expect(200);
    const pending = await order(product, 2);
    expect([await stockOf(t.dataSource, product), await reservedOf(product)]).toEqual([5, 5]);
    expect((await restock(product, PRODUCT_STOCK_MAX - 9)).status).toBe(400);

    await t.dataSource.query('UPDATE orders SET expires_at = ? WHERE id = ?', [
      new Date(Date.now() - 1_000),
      pending.id,
    ]);
    await waitFor(async () => (await stockOf(t.dataSource, product)) === 7, 10_000, 'expiry');
    expect(await reservedOf(product)).toBe(3);
    await api().post(`/api/v1/orders/${paid.id}/cancel`).set(t.auth(2)).expect(200);
    expect([await stockOf(t.dataSource, product), await reservedOf(product)]).toEqual([10, 0]);
  });

  it('restocks racing with orders and cancels never let stock plus held units pass the maximum', async () => {
    const product = await insertProduct(t.dataSource, 0, PRODUCT_STOCK_MAX - 100);
    const placed = await Promise.all(Array.from({ length: 10 }, () => order(product, 10)));
    const answers = await Promise.all([
      ...Array.from({ length: 10 }, () => restock(product, 20)),
      ...placed.map((o) => api().post(`/api/v1/orders/${o.id}/cancel`).set(t.auth(2))),
    ]);

    expect(answers.every((answer) => answer.status === 200 || answer.status === 400)).toBe(true);
    const accepted = answers.slice(0, 10).filter((answer) => answer.status === 200).length;
    expect(accepted).toBe(5);
    expect([await stockOf(t.dataSource, product), await reservedOf(product)]).toEqual([
      PRODUCT_STOCK_MAX,
      0,
    ]);
  });
});
