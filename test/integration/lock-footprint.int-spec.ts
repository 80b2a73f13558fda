import request from 'supertest';
import { TransactionRunner } from '../../src/common/database/transaction-runner';
import {
  PrivateMariaDb,
  privateDatabaseEnv,
  startPrivateMariaDb,
} from '../support/private-mariadb';
import { useTestApp } from '../support/use-test-app';

/**
 * Locks only after the cheap checks: a request that is refused (someone else's order, an unusable
 * coupon, an id that does not exist) must not queue for, or hold, a lock that others wait on.
 * Measured on a MariaDB server of this test's own, where nothing else runs, by the server's own
 * count of row lock waits (`Innodb_row_lock_waits`): refused requests racing with each other and
 * with ordinary traffic must add no wait at all.
 */
const DB_NAME = 'ecom_test_locks';
const LOCK_WAIT_TIMEOUT_SECONDS = 2;
const MISSING_ID = 1_000_000_000;
const report = (line: string, data: unknown) => {
  if (process.env.LOCK_REPORT) process.stdout.write(`[locks] ${line} ${JSON.stringify(data)}\n`);
};

describe('refused requests take no lock that others wait on (real database, lock waits counted)', () => {
  let db: PrivateMariaDb;
  const sql = <T = Record<string, unknown>[]>(statement: string, params: unknown[] = []) =>
    db.query<T>(statement, params, DB_NAME);

  beforeAll(async () => {
    db = await startPrivateMariaDb();
  }, 60_000);
  const t = useTestApp({
    env: async () => ({
      ...(await privateDatabaseEnv(db, DB_NAME)),
      DB_LOCK_WAIT_TIMEOUT_SECONDS: String(LOCK_WAIT_TIMEOUT_SECONDS),
      // Every request of a burst gets a connection at once: they race for locks, not for the pool.
      DB_POOL_SIZE: '80',
    }),
    // The expiry sweep, relay and projector would add traffic of their own.
    backgroundJobs: false,
  });
  afterAll(() => db?.destroy());

  const api = () => request(t.baseUrl);
  const lockWaits = async () => {
    const [row] = await db.query<Array<{ Value: string }>>(
      "SHOW GLOBAL STATUS LIKE 'Innodb_row_lock_waits'",
    );
    return Number(row.Value);
  };
  /** Runs `work` and counts the row lock waits the server saw meanwhile. */
  async function waitsDuring<T>(work: () => Promise<T>): Promise<{ waits: number; result: T }> {
    const before = await lockWaits();
    const result = await work();
    return { waits: (await lockWaits()) - before, result };
  }
  const insertProduct = async (stock: number) =>
    (
      await sql<{ insertId: number }>(
        "INSERT INTO products (name, price, stock, created_at, updated_at) VALUES ('P', 1000, ?, NOW(3), NOW(3))",
        [stock],
      )
    ).insertId;
  const placeOrder = (userId: number, productId: number, issuedCouponId?: number) =>
    api()
      .post('/api/v1/orders')
      .set(t.auth(userId))
      .send({ userId, items: [{ productId, quantity: 1 }], issuedCouponId });
  const statuses = (answers: request.Response[]) =>
    [
      ...new Set(answers.map((answer) => `${answer.status} ${answer.body.code ?? ''}`.trim())),
    ].sort();

  it("strangers paying or cancelling someone's order: 403 from a plain read, no lock queue", async () => {
    const product = await insertProduct(10);
    const order = (await placeOrder(1, product).expect(201)).body as { id: number };

    const { waits, result } = await waitsDuring(() =>
      Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          api()
            .post(`/api/v1/orders/${order.id}/${i % 2 === 0 ? 'payment' : 'cancel'}`)
            .set(t.auth(100 + i)),
        ),
      ),
    );

    report('strangers on one order', { requests: 20, lockWaits: waits });
    expect(statuses(result)).toEqual(['403 FORBIDDEN']);
    expect(waits).toBe(0);
    const [row] = await sql<Array<{ status: string }>>('SELECT status FROM orders WHERE id = ?', [
      order.id,
    ]);
    expect(row.status).toBe('PENDING_PAYMENT');
  });

  it("while the owner's payment holds the order row, a stranger is answered at once, not after the lock wait", async () => {
    const product = await insertProduct(10);
    const order = (await placeOrder(1, product).expect(201)).body as { id: number };
    const holder = t.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query('SELECT id FROM orders WHERE id = ? FOR UPDATE', [order.id]);
    try {
      const started = Date.now();
      const answers = await Promise.all([
        api().post(`/api/v1/orders/${order.id}/payment`).set(t.auth(2)),
        api().post(`/api/v1/orders/${order.id}/cancel`).set(t.auth(2)),
      ]);
      const elapsedMs = Date.now() - started;
      report('stranger behind a held order lock', { elapsedMs });
      // Queued behind the lock, the answer would be a 503 after the lock wait timeout.
      expect(statuses(answers)).toEqual(['403 FORBIDDEN']);
      expect(elapsedMs).toBeLessThan(LOCK_WAIT_TIMEOUT_SECONDS * 1000);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
  });

  it('orders with an issued coupon that cannot be used are refused before any product lock', async () => {
    const product = await insertProduct(100);
    const now = Date.now();
    const [coupon] = await sql<Array<{ id: number }>>(
      `INSERT INTO coupons (name, discount_type, discount_value, min_order_amount, total_quantity,
         issued_quantity, valid_days, created_at)
       VALUES ('C', 'FIXED', 100, 5000, 100, 3, 7, NOW(3)) RETURNING id`,
    );
    const issue = async (userId: number, status: string, expiresAt: Date) =>
      (
        await sql<{ insertId: number }>(
          `INSERT INTO issued_coupons (coupon_id, user_id, status, issued_at, expires_at) VALUES (?, ?, ?, NOW(3), ?)`,
          [coupon.id, userId, status, expiresAt],
        )
      ).insertId;
    const later = new Date(now + 86_400_000);
    const unusable: Record<string, number> = {
      "someone else's": await issue(2, 'AVAILABLE', later),
      used: await issue(1, 'USED', later),
      expired: await issue(3, 'AVAILABLE', new Date(now - 1_000)),
      missing: MISSING_ID,
    };
    const belowMinimum = await issue(4, 'AVAILABLE', later);
    const owners: Record<string, number> = {
      "someone else's": 1,
      used: 1,
      expired: 3,
      missing: 1,
    };

    const { waits, result } = await waitsDuring(() =>
      Promise.all([
        ...Object.entries(unusable).flatMap(([kind, issuedCouponId]) =>
          Array.from({ length: 5 }, () => placeOrder(owners[kind], product, issuedCouponId)),
        ),
        // The order amount (1,000) is below the coupon's minimum (5,000): known from a plain read too.
        ...Array.from({ length: 5 }, () => placeOrder(4, product, belowMinimum)),
      ]),
    );

    report('unusable coupons on one product', { requests: result.length, lockWaits: waits });
    expect(statuses(result)).toEqual(['404 ISSUED_COUPON_NOT_FOUND', '409 COUPON_NOT_USABLE']);
    expect(result.filter((answer) => answer.status === 404)).toHaveLength(5);
    expect(waits).toBe(0);
    const [row] = await sql<Array<{ stock: number }>>('SELECT stock FROM products WHERE id = ?', [
      product,
    ]);
    expect(Number(row.stock)).toBe(100);
  });

  it('a checkout with an unusable coupon is refused before the cart rows are locked', async () => {
    const product = await insertProduct(100);
    await api()
      .put(`/api/v1/users/1/cart/items/${product}`)
      .set(t.auth(1))
      .send({ quantity: 1 })
      .expect(200);

    const { waits, result } = await waitsDuring(() =>
      Promise.all(
        Array.from({ length: 10 }, () =>
          api()
            .post('/api/v1/users/1/cart/checkout')
            .set(t.auth(1))
            .send({ issuedCouponId: MISSING_ID }),
        ),
      ),
    );

    report('checkouts with a missing coupon on one cart', { requests: 10, lockWaits: waits });
    expect(statuses(result)).toEqual(['404 ISSUED_COUPON_NOT_FOUND']);
    expect(waits).toBe(0);
  });

  it('with an Idempotency-Key (the interceptor owns the unit of work): refused the same way, before any lock', async () => {
    const product = await insertProduct(100);
    const order = (await placeOrder(1, product).expect(201)).body as { id: number };
    await api()
      .put(`/api/v1/users/1/cart/items/${product}`)
      .set(t.auth(1))
      .send({ quantity: 1 })
      .expect(200);
    const keyed = (test: request.Test, key: string) => test.set('Idempotency-Key', key);

    const { waits, result } = await waitsDuring(() =>
      Promise.all([
        ...Array.from({ length: 10 }, (_, i) =>
          keyed(
            api()
              .post(`/api/v1/orders/${order.id}/${i % 2 === 0 ? 'payment' : 'cancel'}`)
              .set(t.auth(100 + i)),
            `stranger-${i}`,
          ),
        ),
        ...Array.from({ length: 5 }, (_, i) =>
          keyed(placeOrder(1, product, MISSING_ID), `order-${i}`),
        ),
        ...Array.from({ length: 5 }, (_, i) =>
          keyed(
            api()
              .post('/api/v1/users/1/cart/checkout')
              .set(t.auth(1))
              .send({ issuedCouponId: MISSING_ID }),
            `checkout-${i}`,
          ),
        ),
      ]),
    );

    report('keyed refusals', { requests: result.length, lockWaits: waits });
    expect(statuses(result)).toEqual(['403 FORBIDDEN', '404 ISSUED_COUPON_NOT_FOUND']);
    expect(waits).toBe(0);
    const [row] = await sql<Array<{ stock: number }>>('SELECT stock FROM products WHERE id = ?', [
      product,
    ]);
    expect(Number(row.stock)).toBe(99);
  });

  it('ids beyond the last row are never locked: no gap lock for the inserts at the end of the index to wait on', async () => {
    // A locking read that finds no row leaves a gap lock behind until its transaction ends, which
    // is at once here: every such read is held open a little longer, so that a gap lock, if one
    // is taken, is still there when the inserts below arrive.
    const transactions = t.app.get(TransactionRunner);
    const query = transactions.query.bind(transactions);
    let emptyLockingReads = 0;
    jest.spyOn(transactions, 'query').mockImplementation(async (statement, parameters) => {
      const rows = await query(statement, parameters);
      if (/FOR UPDATE/i.test(statement) && Array.isArray(rows) && rows.length === 0) {
        emptyLockingReads += 1;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      return rows as never;
    });
    const products = await Promise.all(Array.from({ length: 10 }, () => insertProduct(10)));
    const coupons = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const [row] = await sql<Array<{ id: number }>>(
          `INSERT INTO coupons (name, discount_type, discount_value, min_order_amount, total_quantity,
             issued_quantity, valid_days, created_at)
           VALUES ('C', 'FIXED', 100, 0, 100, 0, 7, NOW(3)) RETURNING id`,
        );
        return row.id;
      }),
    );
    const admin = t.auth(999, { admin: true });

    const { waits, result } = await waitsDuring(() =>
      Promise.all([
        // Refused: an order id, an issued coupon id and a product id past the end of their tables.
        ...Array.from({ length: 10 }, (_, i) =>
          api()
            .post(`/api/v1/orders/${MISSING_ID + i}/${i % 2 === 0 ? 'payment' : 'cancel'}`)
            .set(t.auth(1)),
        ),
        ...Array.from({ length: 10 }, (_, i) => placeOrder(200 + i, products[i], MISSING_ID + i)),
        ...Array.from({ length: 10 }, (_, i) =>
          api()
            .post(`/api/v1/products/${MISSING_ID + i}/stock`)
            .set(admin)
            .send({ quantity: 1 }),
        ),
        // Ordinary inserts at the end of those same indexes, racing with them.
        ...Array.from({ length: 10 }, (_, i) => placeOrder(300 + i, products[i])),
        ...Array.from({ length: 10 }, (_, i) =>
          api()
            .post(`/api/v1/users/${400 + i}/coupons`)
            .set(t.auth(400 + i))
            .send({ couponId: coupons[i] }),
        ),
        ...Array.from({ length: 10 }, () =>
          api().post('/api/v1/products').set(admin).send({ name: 'New', price: 1, stock: 1 }),
        ),
      ]),
    );

    jest.restoreAllMocks();
    report('missing ids racing with inserts', {
      requests: result.length,
      emptyLockingReads,
      lockWaits: waits,
    });
    expect(emptyLockingReads).toBe(0);
    expect(statuses(result.slice(0, 30))).toEqual([
      '404 ISSUED_COUPON_NOT_FOUND',
      '404 ORDER_NOT_FOUND',
      '404 PRODUCT_NOT_FOUND',
    ]);
    expect(statuses(result.slice(30))).toEqual(['201']);
    expect(waits).toBe(0);
  });
});
