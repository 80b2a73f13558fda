import request from 'supertest';
import { Metrics } from '../../src/common/metrics/metrics';
import { OutboxRelay } from '../../src/modules/outbox/application/outbox-relay';
import { eventually, FakeDataPlatform } from '../support/fake-data-platform';
import { insertProduct, setBalance } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The value of one series of `name` in the app's registry (0 when it has not moved yet); for a
 * histogram, `suffix` picks `_count` or `_sum`.
 */
async function valueOf(t: TestApp, name: string, labels: Record<string, string> = {}, suffix = '') {
  const metric = t.app.get(Metrics).registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const series = values.find(
    (value) =>
      ((value as { metricName?: string }).metricName ?? name) === name + suffix &&
      Object.entries(labels).every(([key, expected]) => String(value.labels[key]) === expected),
  );
  return series?.value ?? 0;
}

describe('metrics move as requests do (real database)', () => {
  let platform: FakeDataPlatform;
  let t: TestApp;

  beforeAll(async () => {
    platform = await new FakeDataPlatform().start();
    t = await startTestApp({
      DATA_PLATFORM_URL: platform.url,
      DATA_PLATFORM_TIMEOUT_MS: '500',
      OUTBOX_RETRY_BASE_MS: '10',
      OUTBOX_RETRY_MAX_MS: '20',
    });
    t.stopBackgroundJobs(); // the tests drive the relay themselves
  });
  afterAll(async () => {
    await t?.close();
    await platform?.stop();
  });
  beforeEach(async () => {
    await t.reset();
    platform.reset();
  });

  it('a coupon race: issued = the quantity, sold_out = the rest', async () => {
    const admin = t.auth(1, { admin: true });
    const coupon = await request(t.baseUrl)
      .post('/api/v1/coupons')
      .set(admin)
      .send({
        name: 'race',
        discountType: 'FIXED',
        discountValue: 1_000,
        totalQuantity: 5,
        validDays: 7,
      })
      .expect(201);
    const users = Array.from({ length: 25 }, (_, i) => 100 + i);
    const statuses = await Promise.all(
      users.map((userId) =>
        request(t.baseUrl)
          .post(`/api/v1/users/${userId}/coupons`)
          .set(t.auth(userId))
          .send({ couponId: coupon.body.id })
          .then((res) => res.status),
      ),
    );
    expect(statuses.filter((status) => status === 201)).toHaveLength(5);
    expect(await valueOf(t, 'coupon_issues_total', { outcome: 'issued' })).toBe(5);
    expect(await valueOf(t, 'coupon_issues_total', { outcome: 'sold_out' })).toBe(20);
  });

  it('a paid and then cancelled order moves the order and payment counters; a replay is counted', async () => {
    const before = {
      placed: await valueOf(t, 'orders_total', { event: 'placed' }),
      paid: await valueOf(t, 'orders_total', { event: 'paid' }),
      cancelled: await valueOf(t, 'orders_total', { event: 'cancelled' }),
      amount: await valueOf(t, 'payment_amount_krw_total'),
      replayed: await valueOf(t, 'idempotency_requests_total', { result: 'replayed' }),
    };
    const productId = await insertProduct(t.dataSource, 7_000, 10);
    await setBalance(t.dataSource, 9, 100_000);
    const order = await request(t.baseUrl)
      .post('/api/v1/orders')
      .set(t.auth(9))
      .send({ userId: 9, items: [{ productId, quantity: 3 }] })
      .expect(201);
    for (let i = 0; i < 2; i++) {
      await request(t.baseUrl)
        .post(`/api/v1/orders/${order.body.id}/payment`)
        .set({ ...t.auth(9), 'Idempotency-Key': 'pay-once' })
        .expect(200);
    }
    await request(t.baseUrl)
      .post(`/api/v1/orders/${order.body.id}/cancel`)
      .set(t.auth(9))
      .expect(200);

    expect(await valueOf(t, 'orders_total', { event: 'placed' })).toBe(before.placed + 1);
    expect(await valueOf(t, 'orders_total', { event: 'paid' })).toBe(before.paid + 1);
    expect(await valueOf(t, 'orders_total', { event: 'cancelled' })).toBe(before.cancelled + 1);
    expect(await valueOf(t, 'payment_amount_krw_total')).toBe(before.amount + 21_000);
    expect(await valueOf(t, 'idempotency_requests_total', { result: 'replayed' })).toBe(
      before.replayed + 1,
    );
  });

  it('the outbox gauges follow a platform outage and its recovery', async () => {
    platform.failAlways = true;
    const productId = await insertProduct(t.dataSource, 1_000, 10);
    await setBalance(t.dataSource, 10, 100_000);
    const order = await request(t.baseUrl)
      .post('/api/v1/orders')
      .set(t.auth(10))
      .send({ userId: 10, items: [{ productId, quantity: 1 }] })
      .expect(201);
    await request(t.baseUrl)
      .post(`/api/v1/orders/${order.body.id}/payment`)
      .set(t.auth(10))
      .expect(200);
    const relay = t.app.get(OutboxRelay);
    const failedBefore = await valueOf(t, 'outbox_deliveries_total', { result: 'failed' });
    await relay.relayBatch();
    expect(await valueOf(t, 'outbox_deliveries_total', { result: 'failed' })).toBe(
      failedBefore + 1,
    );
    // The outage has lasted two minutes.
    await t.dataSource.query('UPDATE outbox_events SET created_at = ?', [
      new Date(Date.now() - 120_000),
    ]);
    expect(await valueOf(t, 'outbox_events', { status: 'pending' })).toBe(1);
    expect(await valueOf(t, 'outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(120);

    platform.failAlways = false;
    const deliveredBefore = await valueOf(t, 'outbox_deliveries_total', {
      transport: 'http',
      result: 'delivered',
    });
    await eventually(async () => {
      await relay.relayBatch();
      return (await valueOf(t, 'outbox_events', { status: 'pending' })) === 0;
    });
    expect(await valueOf(t, 'outbox_oldest_pending_age_seconds')).toBe(0);
    expect(
      await valueOf(t, 'outbox_deliveries_total', { transport: 'http', result: 'delivered' }),
    ).toBe(deliveredBefore + 1);
  });

  it('times every unit of work: a charge is one more committed unit', async () => {
    const committed = () =>
      valueOf(t, 'db_unit_of_work_duration_seconds', { outcome: 'commit' }, '_count');
    const before = await committed();
    await request(t.baseUrl)
      .post('/api/v1/users/11/balance/charge')
      .set(t.auth(11))
      .send({ amount: 1_000 })
      .expect(200);
    expect(await committed()).toBe(before + 1);
  });

  it('counts cache lookups per cache: a page and a ranking built once, then served again', async () => {
    const cached = await startTestApp({
      PRODUCT_LIST_CACHE_MS: '1000',
      POPULAR_CACHE_TTL_SECONDS: '60',
    });
    try {
      const lookups = async () => {
        const counts: Record<string, number> = {};
        for (const cache of ['http_response', 'product_list', 'popular', 'popular_shared'])
          for (const result of ['hit', 'miss'])
            counts[`${cache} ${result}`] = await valueOf(cached, 'cache_lookups_total', {
              cache,
              result,
            });
        return counts;
      };
      const before = await lookups();
      for (const path of ['/api/v1/products?size=5', '/api/v1/products/popular?days=3&limit=5']) {
        await request(cached.baseUrl).get(path).expect(200);
        await request(cached.baseUrl).get(path).expect(200);
      }
      const after = await lookups();
      const moved = Object.fromEntries(
        Object.entries(after).map(([key, value]) => [key, value - before[key]]),
      );
      expect(moved).toEqual({
        // The second request of each is answered from the response cache, before the services.
        'http_response hit': 2,
        'http_response miss': 2,
        'product_list hit': 0,
        'product_list miss': 1,
        'popular hit': 0,
        'popular miss': 1,
        'popular_shared hit': 0,
        'popular_shared miss': 1,
      });
    } finally {
      await cached.close();
    }
  });
});
