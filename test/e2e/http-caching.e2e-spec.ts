import request from 'supertest';
import { insertProduct, setBalance, stockOf } from '../support/fixtures';
import { waitFor } from '../support/keyed-traffic';
import { ResponseCache } from '../../src/common/http/response-cache';
import { startTestApp } from '../support/test-app';
import { useTestApp } from '../support/use-test-app';

/**
 * The public catalogue reads carry `ETag` and `Cache-Control: public, max-age=N`; `If-None-Match`
 * with the current tag is 304 with no body (contract: Products). The app here keeps its own page
 * cache as in production (PRODUCT_LIST_CACHE_MS=1000, POPULAR_CACHE_TTL_SECONDS=60).
 */
describe('HTTP caching of the catalogue (HTTP contract)', () => {
  const t = useTestApp({ env: { PRODUCT_LIST_CACHE_MS: '1000', POPULAR_CACHE_TTL_SECONDS: '60' } });
  let product: number;
  let coupon: number;

  beforeEach(async () => {
    product = await insertProduct(t.dataSource, 1_000, 10);
    coupon = (
      await request(t.baseUrl)
        .post('/api/v1/coupons')
        .set(t.auth(1, { admin: true }))
        .send({
          name: 'C',
          discountType: 'FIXED',
          discountValue: 100,
          totalQuantity: 10,
          validDays: 7,
        })
        .expect(201)
    ).body.id;
  });

  const get = (path: string, ifNoneMatch?: string) => {
    const req = request(t.baseUrl).get(`/api/v1${path}`);
    return ifNoneMatch === undefined ? req : req.set('If-None-Match', ifNoneMatch);
  };
  const STRONG_TAG = /^"[A-Za-z0-9_-]{27}"$/;

  const routes: Array<[string, () => string, string]> = [
    ['GET /products', () => '/products', 'public, max-age=1'],
    ['GET /products/{id}', () => `/products/${product}`, 'public, max-age=0'],
    ['GET /products/popular', () => '/products/popular', 'public, max-age=60'],
    ['GET /coupons/{id}', () => `/coupons/${coupon}`, 'public, max-age=0'],
  ];

  describe.each(routes)('%s', (_label, path, cacheControl) => {
    it(`answers with a strong ETag and Cache-Control: ${cacheControl}`, async () => {
      const res = await get(path()).expect(200);
      expect(res.headers.etag).toMatch(STRONG_TAG);
      expect(res.headers['cache-control']).toBe(cacheControl);
      // The same representation, the same tag.
      expect((await get(path()).expect(200)).headers.etag).toBe(res.headers.etag);
    });

    it('answers If-None-Match with the current tag with 304: no body, the same validators', async () => {
      const { headers } = await get(path()).expect(200);
      for (const condition of [
        headers.etag,
        `W/${headers.etag}`,
        `"other", ${headers.etag}`,
        '*',
      ]) {
        const res = await get(path(), condition);
        expect({ condition, status: res.status, body: res.text }).toEqual({
          condition,
          status: 304,
          body: '',
        });
        expect(res.headers.etag).toBe(headers.etag);
        expect(res.headers['cache-control']).toBe(cacheControl);
        expect(res.headers['content-length']).toBeUndefined();
      }
      expect((await get(path(), '"some-other-tag"')).status).toBe(200);
    });
  });

  it('a committed change gives a new representation and tag: the old tag then gets the new body', async () => {
    const before = await get(`/products/${product}`).expect(200);
    await request(t.baseUrl)
      .post(`/api/v1/products/${product}/stock`)
      .set(t.auth(1, { admin: true }))
      .send({ quantity: 5 })
      .expect(200);
    const after = await get(`/products/${product}`, before.headers.etag);
    expect(after.status).toBe(200);
    expect(after.body.stock).toBe(15);
    expect(after.headers.etag).not.toBe(before.headers.etag);

    const couponBefore = await get(`/coupons/${coupon}`).expect(200);
    await request(t.baseUrl)
      .post('/api/v1/users/2/coupons')
      .set(t.auth(2))
      .send({ couponId: coupon })
      .expect(201);
    const couponAfter = await get(`/coupons/${coupon}`, couponBefore.headers.etag);
    expect([couponAfter.status, couponAfter.body.issuedQuantity]).toEqual([200, 1]);
  });

  it("a list page from this process's page cache says how old it is (Age), a fresh one does not", async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // whatever the cache held is gone
    const fresh = await get('/products?size=7').expect(200);
    const cached = await get('/products?size=7').expect(200);
    expect(fresh.headers.age).toBeUndefined();
    expect(cached.headers.age).toBe('1');
    expect(cached.headers.etag).toBe(fresh.headers.etag);
  });

  it('errors and writes are not marked cacheable', async () => {
    const missing = await get('/products/999999').expect(404);
    expect([missing.headers.etag, missing.headers['cache-control']]).toEqual([
      undefined,
      undefined,
    ]);
    const created = await request(t.baseUrl)
      .post('/api/v1/products')
      .set(t.auth(1, { admin: true }))
      .send({ name: 'N', price: 1, stock: 1 })
      .expect(201);
    expect(created.headers.etag).toBeUndefined();
  });

  describe("every stock change this process commits clears its cached pages at once (not after the cache's second)", () => {
    const listedStock = async () =>
      (await get('/products').expect(200)).body.items.find((p: { id: number }) => p.id === product)
        .stock as number;
    const user = () => t.auth(3);
    const place = async (quantity: number) =>
      (
        await request(t.baseUrl)
          .post('/api/v1/orders')
          .set(user())
          .send({ userId: 3, items: [{ productId: product, quantity }] })
          .expect(201)
      ).body as { id: number };

    it('an order, a payment and cancel, a restock, a checkout', async () => {
      expect(await listedStock()).toBe(10);
      const order = await place(2);
      expect(await listedStock()).toBe(8);

      await setBalance(t.dataSource, 3, 10_000);
      await request(t.baseUrl).post(`/api/v1/orders/${order.id}/payment`).set(user()).expect(200);
      await request(t.baseUrl).post(`/api/v1/orders/${order.id}/cancel`).set(user()).expect(200);
      expect(await listedStock()).toBe(10);

      await request(t.baseUrl)
        .post(`/api/v1/products/${product}/stock`)
        .set(t.auth(1, { admin: true }))
        .send({ quantity: 3 })
        .expect(200);
      expect(await listedStock()).toBe(13);

      await request(t.baseUrl)
        .put(`/api/v1/users/3/cart/items/${product}`)
        .set(user())
        .send({ quantity: 4 })
        .expect(200);
      await request(t.baseUrl).post('/api/v1/users/3/cart/checkout').set(user()).expect(201);
      expect(await listedStock()).toBe(9);
    });

    it('an expiry', async () => {
      const order = await place(4);
      expect(await listedStock()).toBe(6);
      await t.dataSource.query('UPDATE orders SET expires_at = ? WHERE id = ?', [
        new Date(Date.now() - 1_000),
        order.id,
      ]);
      // Keep the page cached right up to the expiry, then read it the moment the stock is back.
      await waitFor(
        async () => (await listedStock(), (await stockOf(t.dataSource, product)) === 10),
        10_000,
        'the expiry',
      );
      expect(await listedStock()).toBe(10);
    });
  });

  describe('the response cache: answers kept serialized and served before the guards, pipes and handler', () => {
    it('serves a kept page again as it was, with its tag, its age and the CORS headers of the origin', async () => {
      const first = await get('/products').expect(200);
      expect(t.app.get(ResponseCache).lookup('/api/v1/products')).not.toBeNull();
      const again = await request(t.baseUrl)
        .get('/api/v1/products')
        .set('Origin', 'http://localhost:5173')
        .expect(200);
      expect(again.text).toBe(first.text);
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(again.headers['cache-control']).toBe('public, max-age=1');
      expect(Number(again.headers.age)).toBeGreaterThanOrEqual(1);
      expect(again.headers['content-type']).toMatch(/^application\/json/);
      expect(again.headers['x-request-id']).toBeTruthy();
      expect(again.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      await get('/products', first.headers.etag).expect(304);
    });

    it('keeps nothing past the route bound: a detail, an error, a query that failed', async () => {
      await get(`/products/${product}`).expect(200);
      await get('/products?size=1000').expect(400);
      const cache = t.app.get(ResponseCache);
      expect(cache.lookup(`/api/v1/products/${product}`)).toBeNull();
      expect(cache.lookup('/api/v1/products?size=1000')).toBeNull();
    });

    it('a hit still spends the rate limit, with the same headers and the same 429', async () => {
      const limited = await startTestApp({
        PRODUCT_LIST_CACHE_MS: '1000',
        RATE_LIMIT_PER_MINUTE: '3',
      });
      try {
        const answers = [];
        for (let i = 0; i < 4; i++)
          answers.push(await request(limited.baseUrl).get('/api/v1/products'));
        expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 429]);
        expect(answers.slice(0, 3).map((res) => res.headers['x-ratelimit-remaining'])).toEqual([
          '2',
          '1',
          '0',
        ]);
        expect(answers[3].body.code).toBe('TOO_MANY_REQUESTS');
        expect(answers[3].headers['retry-after']).toBeTruthy();
      } finally {
        await limited.close();
      }
    });
  });
});
