import request from 'supertest';
import { SalesProjector } from '../../src/modules/analytics/application/sales-projector';
import { insertProduct, setBalance } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { useTestApp } from '../support/use-test-app';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('popular products (real database)', () => {
  const t = useTestApp({ env: { POPULAR_CACHE_TTL_SECONDS: '0' }, backgroundJobs: false });

  async function buy(
    app: TestApp,
    userId: number,
    lines: [number, number][],
    pay = true,
  ): Promise<number> {
    await setBalance(app.dataSource, userId, 10_000_000);
    const order = await request(app.baseUrl)
      .post('/api/v1/orders')
      .set(app.auth(userId))
      .send({ userId, items: lines.map(([productId, quantity]) => ({ productId, quantity })) })
      .expect(201);
    if (pay)
      await request(app.baseUrl)
        .post(`/api/v1/orders/${order.body.id}/payment`)
        .set(app.auth(userId))
        .expect(200);
    return order.body.id;
  }

  const popular = (app: TestApp, query = '') =>
    request(app.baseUrl).get(`/api/v1/products/popular${query}`).expect(200);
  const project = (app: TestApp) => app.app.get(SalesProjector).projectBatch();

  it('ranks by units sold in paid orders; unpaid and refunded orders do not count; ties by productId', async () => {
    const [p1, p2, p3, p4] = [
      await insertProduct(t.dataSource, 100, 1_000, 'P1'),
      await insertProduct(t.dataSource, 200, 1_000, 'P2'),
      await insertProduct(t.dataSource, 300, 1_000, 'P3'),
      await insertProduct(t.dataSource, 400, 1_000, 'P4'),
    ];
    await buy(t, 1, [
      [p2, 5],
      [p1, 3],
    ]);
    await buy(t, 2, [[p3, 3]]);
    await buy(t, 3, [[p4, 50]], false); // never paid
    const refunded = await buy(t, 4, [
      [p4, 40],
      [p1, 1],
    ]);
    await request(t.baseUrl).post(`/api/v1/orders/${refunded}/cancel`).set(t.auth(4)).expect(200);
    await project(t);

    const response = await popular(t);

    expect(response.body).toEqual([
      { rank: 1, productId: p2, name: 'P2', price: 200, soldQuantity: 5 },
      { rank: 2, productId: p1, name: 'P1', price: 100, soldQuantity: 3 },
      { rank: 3, productId: p3, name: 'P3', price: 300, soldQuantity: 3 },
    ]);
  });

  it('honours the window (days) and the limit', async () => {
    const [old, recent] = [
      await insertProduct(t.dataSource, 1, 10, 'Old'),
      await insertProduct(t.dataSource, 1, 10, 'Recent'),
    ];
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    await t.dataSource.query(
      'INSERT INTO product_sales_daily (sales_date, product_id, quantity) VALUES (?, ?, ?), (?, ?, ?)',
      [daysAgo(5), old, 100, daysAgo(0), recent, 1],
    );

    expect(
      (await popular(t, '?days=3')).body.map((p: { productId: number }) => p.productId),
    ).toEqual([recent]);
    expect(
      (await popular(t, '?days=6')).body.map((p: { productId: number }) => p.productId),
    ).toEqual([old, recent]);
    expect((await popular(t, '?days=6&limit=1')).body).toHaveLength(1);
  });

  it('rejects bad parameters with 400', async () => {
    for (const query of [
      '?days=0',
      '?days=31',
      '?limit=0',
      '?limit=51',
      '?days=abc',
      '?limit=1.5',
    ]) {
      const response = await request(t.baseUrl).get(`/api/v1/products/popular${query}`);
      expect({ query, status: response.status, code: response.body.code }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
  });

  it('projects each sale exactly once, even with two projectors at once', async () => {
    const p1 = await insertProduct(t.dataSource, 100, 1_000);
    for (let i = 0; i < 30; i++) await buy(t, 10 + i, [[p1, 2]]);
    const other = await startTestApp();
    other.stopBackgroundJobs();
    try {
      await Promise.all([project(t), project(other), project(t), project(other)]);
    } finally {
      await other.close();
    }
    const [{ total }] = await t.dataSource.query(
      'SELECT SUM(quantity) AS total FROM product_sales_daily',
    );
    expect(Number(total)).toBe(60);
  });

  describe('cache', () => {
    it('with a TTL, answers from the cache within the TTL; with TTL 0, always fresh', async () => {
      const cached = await startTestApp({ POPULAR_CACHE_TTL_SECONDS: '60' });
      cached.stopBackgroundJobs();
      try {
        const p1 = await insertProduct(t.dataSource, 100, 1_000);
        await buy(t, 1, [[p1, 1]]);
        await project(t);
        expect((await popular(cached)).body[0].soldQuantity).toBe(1);

        await buy(t, 2, [[p1, 1]]);
        await project(t);

        expect((await popular(cached)).body[0].soldQuantity).toBe(1);
        expect((await popular(t)).body[0].soldQuantity).toBe(2); // TTL 0: always fresh
      } finally {
        await cached.close();
      }
    });

    it('with REDIS_URL, two instances share one cache', async () => {
      const env = { POPULAR_CACHE_TTL_SECONDS: '60', REDIS_URL: REDIS_URL };
      const first = await startTestApp(env);
      const second = await startTestApp(env);
      first.stopBackgroundJobs();
      second.stopBackgroundJobs();
      try {
        const p1 = await insertProduct(t.dataSource, 100, 1_000);
        await buy(t, 1, [[p1, 1]]);
        await project(t);
        const query = '?days=1&limit=7';
        expect((await popular(first, query)).body[0].soldQuantity).toBe(1);

        await buy(t, 2, [[p1, 4]]);
        await project(t);

        expect((await popular(second, query)).body[0].soldQuantity).toBe(1);
      } finally {
        await first.close();
        await second.close();
      }
    });
  });
});
