import request from 'supertest';
import { POOL_ACQUIRE_TIMEOUT, resilientMysql2 } from '../../src/common/database/resilient-mysql2';
import { expectErrorBody } from '../support/error-assertions';
import { FakeDataPlatform } from '../support/fake-data-platform';
import {
  expectBackgroundWorkResumes,
  HealthProbe,
  KeyedTraffic,
  Query,
  verifyLedger,
  waitFor,
  seedProducts,
  reliabilityReport,
  eightUserPlan,
} from '../support/keyed-traffic';
import { PrivateMariaDb, startPrivateMariaDb } from '../support/private-mariadb';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The real app against a MariaDB server of this test's own, which the test kills (SIGKILL),
 * stops (SIGTERM) and starts again while the app keeps running. There is no Docker engine here,
 * so the private server is a plain mariadbd on a temp data directory and a free port.
 */
const DB_NAME = 'ecom_test_dbloss';
const CONNECT_TIMEOUT_MS = 1_000;
const ACQUIRE_TIMEOUT_MS = 2_000;

describe('database loss: the server stays up, answers 503, recovers by itself', () => {
  let db: PrivateMariaDb;
  let t: TestApp;
  let platform: FakeDataPlatform;
  let sql: Query;

  const appEnv = (overrides: Record<string, string> = {}) => ({
    DB_HOST: db.host,
    DB_PORT: String(db.port),
    DB_USER: db.user,
    DB_PASSWORD: db.password,
    DB_NAME,
    DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    DB_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS),
    IDEMPOTENCY_LEASE_SECONDS: '2',
    DATA_PLATFORM_URL: platform.url,
    DATA_PLATFORM_TIMEOUT_MS: '1000',
    OUTBOX_RETRY_BASE_MS: '100',
    OUTBOX_RETRY_MAX_MS: '500',
    POPULAR_CACHE_TTL_SECONDS: '0',
    ...overrides,
  });

  beforeAll(async () => {
    db = await startPrivateMariaDb();
    await db.query(`CREATE DATABASE ${DB_NAME} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    platform = await new FakeDataPlatform().start();
    t = await startTestApp(appEnv());
    sql = <T>(statement: string, params: unknown[] = []) => db.query<T>(statement, params, DB_NAME);
  }, 60_000);

  afterAll(async () => {
    await t?.close().catch(() => undefined);
    await platform?.stop();
    await db?.destroy();
  });

  beforeEach(async () => {
    await ensureUp();
    await t.reset();
    platform.reset();
  });

  async function ensureUp(): Promise<void> {
    try {
      await db.query('SELECT 1');
    } catch {
      await db.start();
    }
    await waitFor(
      async () => (await request(t.baseUrl).get('/health')).status === 200,
      15_000,
      '/health 200',
    );
  }

  it('killed (SIGKILL) mid-load and restarted: no 500, /health 503 then 200, every keyed request applied exactly once, background work resumes', async () => {
    const initialStock = await seedProducts(sql, 4, 10_000);
    const plan = eightUserPlan('dbl', initialStock);
    const traffic = new KeyedTraffic(
      () => t.baseUrl,
      (userId) => t.token(userId),
      plan,
      {
        requestTimeoutMs: 10_000,
        deadlineMs: 40_000,
      },
    );
    const health = new HealthProbe(() => t.baseUrl, 25).start();
    const origin = Date.now();

    const running = traffic.run();
    await waitFor(async () => traffic.settled >= 30, 20_000, 'traffic under way');
    const killedAt = Date.now() - origin;
    await db.kill();
    // Keep it down while the traffic keeps coming.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const restartAt = Date.now() - origin;
    await db.start();
    const restartedAt = Date.now() - origin;
    await running;
    const settledAt = Date.now() - origin;
    await waitFor(
      async () => health.samples.some((s) => s.at > restartedAt && s.status === 200),
      10_000,
      'health 200',
    );
    await health.stop();

    // Stayed up, never a 500, never a hang: only settling answers, 503s and "still in progress".
    const statuses = traffic.statusCounts();
    for (const label of Object.keys(statuses)) {
      expect([
        '200',
        '201',
        '503 SERVICE_UNAVAILABLE',
        '409 IDEMPOTENCY_KEY_IN_PROGRESS',
      ]).toContain(label);
    }
    expect(statuses['503 SERVICE_UNAVAILABLE']).toBeGreaterThan(0);
    const unavailable = traffic.observations.filter((o) => o.status === 503);
    const slowest503 = Math.max(...unavailable.map((o) => o.ms));
    expect(slowest503).toBeLessThan(CONNECT_TIMEOUT_MS + ACQUIRE_TIMEOUT_MS);

    // /health: 200, then 503 while the server was away, then 200 again.
    expect(health.transitions()).toEqual([200, 503, 200]);
    const first503 = health.samples.find((s) => s.status === 503)!;
    const back200 = health.samples.find((s) => s.at > first503.at && s.status === 200)!;
    expect(first503.at - killedAt).toBeLessThan(1_000);
    expect(back200.at - restartAt).toBeLessThan(3_000);
    expect(
      Math.max(...health.samples.filter((s) => s.status === 503).map((s) => s.ms)),
    ).toBeLessThan(CONNECT_TIMEOUT_MS + 500);

    // Some requests were in doubt and were retried with their keys; the books still balance.
    expect(traffic.retried.length).toBeGreaterThan(0);
    await verifyLedger(sql, traffic, plan, initialStock);
    const resumed = await expectBackgroundWorkResumes(
      sql,
      () => deliveredIds(platform),
      initialStock,
    );

    reliabilityReport('database SIGKILL', {
      killedAtMs: killedAt,
      restartAtMs: restartAt,
      serverUpAgainAtMs: restartedAt,
      trafficSettledAtMs: settledAt,
      health503AfterKillMs: first503.at - killedAt,
      databaseStartupMs: restartedAt - restartAt,
      health200AfterRestartMs: back200.at - restartAt,
      slowest503Ms: slowest503,
      median503Ms: median(unavailable.map((o) => o.ms)),
      statuses,
      steps: traffic.results.length,
      retriedSteps: traffic.retried.length,
      retriedAndReplayed: traffic.retried.filter((r) => r.replayed).length,
      ...resumed,
    });
  });

  it('stopped (orderly shutdown): every route that needs the database answers 503 in the standard body, fast; all recover', async () => {
    const [product] = await sql<Array<{ id: number }>>(
      `INSERT INTO products (name, price, stock, created_at, updated_at) VALUES ('P', 100, 5, NOW(3), NOW(3)) RETURNING id`,
    );
    const admin = t.auth(99, { admin: true });
    const user = t.auth(1);
    const routes: Array<[string, string, Record<string, string>, unknown?]> = [
      ['GET', '/health', {}],
      ['GET', '/api/v1/products', {}],
      ['GET', `/api/v1/products/${product.id}`, {}],
      ['GET', '/api/v1/products/popular', {}],
      ['POST', '/api/v1/products', admin, { name: 'New', price: 1, stock: 1 }],
      ['POST', `/api/v1/products/${product.id}/stock`, admin, { quantity: 1 }],
      ['GET', '/api/v1/users/1/balance', user],
      ['GET', '/api/v1/users/1/balance/history', user],
      ['POST', '/api/v1/users/1/balance/charge', user, { amount: 1_000 }],
      [
        'POST',
        '/api/v1/users/1/balance/charge',
        { ...user, 'Idempotency-Key': 'down-1' },
        { amount: 1_000 },
      ],
      ['GET', '/api/v1/coupons/1', {}],
      [
        'POST',
        '/api/v1/coupons',
        admin,
        { name: 'C', discountType: 'FIXED', discountValue: 1, totalQuantity: 1, validDays: 1 },
      ],
      ['POST', '/api/v1/users/1/coupons', user, { couponId: 1 }],
      ['GET', '/api/v1/users/1/coupons', user],
      [
        'POST',
        '/api/v1/orders',
        user,
        { userId: 1, items: [{ productId: Number(product.id), quantity: 1 }] },
      ],
      ['GET', '/api/v1/orders/1', user],
      ['POST', '/api/v1/orders/1/payment', user],
      ['POST', '/api/v1/orders/1/cancel', { ...user, 'Idempotency-Key': 'down-2' }],
      ['GET', '/api/v1/users/1/orders', user],
      ['GET', '/api/v1/users/1/cart', user],
      ['PUT', `/api/v1/users/1/cart/items/${product.id}`, user, { quantity: 1 }],
      ['DELETE', `/api/v1/users/1/cart/items/${product.id}`, user],
      ['DELETE', '/api/v1/users/1/cart', user],
      ['POST', '/api/v1/users/1/cart/checkout', user, {}],
      ['GET', '/api/v1/admin/outbox', admin],
    ];

    await db.stop();
    const timings: Record<string, number> = {};
    for (const [method, path, headers, body] of routes) {
      const started = Date.now();
      let req = request(t.baseUrl)[method.toLowerCase() as 'get'](path).set(headers);
      if (body !== undefined) req = req.send(body as object);
      const res = await req;
      timings[`${method} ${path}`] = Date.now() - started;
      expectErrorBody(res, 503, 'SERVICE_UNAVAILABLE', path);
      expect(res.headers['retry-after']).toBe('1');
    }
    expect(Math.max(...Object.values(timings))).toBeLessThan(CONNECT_TIMEOUT_MS + 500);

    const restartedAt = Date.now();
    await db.start();
    const recoveredMs = await waitFor(
      async () => (await request(t.baseUrl).get('/health')).status === 200,
      10_000,
      '/health 200 after the restart',
    );
    // The key used while the database was away was released or is free after its lease.
    await waitFor(
      async () =>
        (
          await request(t.baseUrl)
            .post('/api/v1/users/1/balance/charge')
            .set({ ...user, 'Idempotency-Key': 'down-1' })
            .send({ amount: 1_000 })
        ).status === 200,
      5_000,
      'the keyed charge succeeds after the restart',
    );
    const balance = await request(t.baseUrl).get('/api/v1/users/1/balance').set(user).expect(200);
    expect(balance.body.balance).toBe(1_000);
    reliabilityReport('database orderly stop', {
      slowest503Ms: Math.max(...Object.values(timings)),
      routes: routes.length,
      health200AfterRestartMs: recoveredMs,
      restartMs: Date.now() - restartedAt,
    });
  });

  it('a request waits at most DB_ACQUIRE_TIMEOUT_MS for a pooled connection, then gets 503', async () => {
    const small = await startTestApp(
      appEnv({
        DB_POOL_SIZE: '2',
        DB_ACQUIRE_TIMEOUT_MS: '500',
        DB_LOCK_WAIT_TIMEOUT_SECONDS: '20',
      }),
    );
    const mysql = await import('mysql2/promise');
    const holder = await mysql.createConnection({
      host: db.host,
      port: db.port,
      user: 'root',
      database: DB_NAME,
    });
    try {
      await holder.query('INSERT INTO balances (user_id, amount) VALUES (7, 0)');
      await holder.query('BEGIN');
      await holder.query('SELECT amount FROM balances WHERE user_id = 7 FOR UPDATE');
      // Two charges take both pooled connections and wait on the row lock.
      const blocked = [1, 2].map(() =>
        request(small.baseUrl)
          .post('/api/v1/users/7/balance/charge')
          .set(small.auth(7))
          .send({ amount: 10 })
          .then((res) => res),
      );
      await waitFor(
        async () => {
          const [row] = await sql<Array<{ n: number }>>(
            `SELECT COUNT(*) AS n FROM information_schema.processlist
              WHERE command = 'Query' AND info LIKE 'INSERT INTO balances%'`,
          );
          return Number(row.n) === 2;
        },
        5_000,
        'two charges waiting on the lock',
      );

      const started = Date.now();
      const res = await request(small.baseUrl).get('/api/v1/products');
      const waited = Date.now() - started;
      expectErrorBody(res, 503, 'SERVICE_UNAVAILABLE', '/api/v1/products');
      expect(waited).toBeGreaterThanOrEqual(450);
      expect(waited).toBeLessThan(1_500);

      await holder.query('COMMIT');
      const charged = await Promise.all(blocked);
      expect(charged.map((r) => r.status)).toEqual([200, 200]);
      await request(small.baseUrl).get('/api/v1/products').expect(200);
      reliabilityReport('acquire timeout', { waitedMs: waited });
    } finally {
      await holder.end().catch(() => undefined);
      await small.close();
    }
  });
});

describe('the mysql2 driver the app uses (resilientMysql2)', () => {
  let db: PrivateMariaDb;

  beforeAll(async () => {
    db = await startPrivateMariaDb();
  }, 60_000);
  afterAll(() => db?.destroy());

  const options = () => ({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    connectionLimit: 1,
  });

  it('keeps an error listener on every pooled connection: a second error event does not end the process', async () => {
    const plain = (await import('mysql2')).createPool(options());
    const guarded = resilientMysql2({
      acquireTimeoutMs: 1_000,
      lockWaitTimeoutSeconds: 5,
    }).createPool(options());
    try {
      for (const [pool, survives] of [
        [plain, false],
        [guarded, true],
      ] as const) {
        const connection = await new Promise<import('mysql2').PoolConnection>((resolve, reject) =>
          pool.getConnection((error, conn) => (error ? reject(error) : resolve(conn))),
        );
        connection.emit('error', new Error('first')); // handled by mysql2's own `once` listener
        const second = () => connection.emit('error', new Error('second'));
        if (survives) expect(second).not.toThrow();
        else expect(second).toThrow('second'); // an unhandled 'error' event: the process would end
        connection.destroy();
      }
    } finally {
      await Promise.all([plain.promise().end(), guarded.promise().end()]);
    }
  });

  it('bounds the wait for a pooled connection, and a connection that comes late goes back to the pool', async () => {
    const pool = resilientMysql2({ acquireTimeoutMs: 300, lockWaitTimeoutSeconds: 5 }).createPool(
      options(),
    );
    const get = () =>
      new Promise<import('mysql2').PoolConnection>((resolve, reject) =>
        pool.getConnection((error, conn) => (error ? reject(error) : resolve(conn))),
      );
    try {
      const held = await get();
      const started = Date.now();
      await expect(get()).rejects.toMatchObject({ code: POOL_ACQUIRE_TIMEOUT });
      expect(Date.now() - started).toBeGreaterThanOrEqual(280);
      expect(Date.now() - started).toBeLessThan(1_000);
      held.release(); // handed to the caller that gave up, which puts it straight back
      const again = await get();
      again.release();
    } finally {
      await pool.promise().end();
    }
  });
});

function deliveredIds(platform: FakeDataPlatform): Set<string> {
  return new Set(platform.received.map((r) => r.idempotencyKey ?? ''));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
