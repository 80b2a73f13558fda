import { Logger } from '@nestjs/common';
import request from 'supertest';
import { TransactionRunner } from '../../src/common/database/transaction-runner';
import { ServiceUnavailableError } from '../../src/common/errors/common.errors';
import {
  PrivateMariaDb,
  privateDatabaseEnv,
  startPrivateMariaDb,
} from '../support/private-mariadb';
import { useTestApp } from '../support/use-test-app';

/**
 * MariaDB 11.6.2+ turns `innodb_snapshot_isolation` on by default: under REPEATABLE READ, a
 * locking read or write of a row that another transaction changed after this one's snapshot
 * fails with 1020 "Record has changed since last read", and the server rolls the transaction
 * back. The server here is a MariaDB of this test's own, with the setting turned on globally.
 */
const DB_NAME = 'ecom_test_snapshot';
const report = (line: string, data: unknown) => {
  if (process.env.LOCK_REPORT) process.stdout.write(`[snapshot] ${line} ${JSON.stringify(data)}\n`);
};

describe('innodb_snapshot_isolation=ON: 1020 is retried like a deadlock, never a 500 (real database)', () => {
  let db: PrivateMariaDb;
  let transactions: TransactionRunner;
  const sql = <T = Record<string, unknown>[]>(statement: string, params: unknown[] = []) =>
    db.query<T>(statement, params, DB_NAME);
  const insertProduct = async (stock: number) =>
    (
      await sql<{ insertId: number }>(
        "INSERT INTO products (name, price, stock, created_at, updated_at) VALUES ('P', 100, ?, NOW(3), NOW(3))",
        [stock],
      )
    ).insertId;

  beforeAll(async () => {
    db = await startPrivateMariaDb();
    // MariaDB 10.6.18+/10.11.8+ have the setting (off by default); the app's connections, all
    // opened after this, take it from the global value.
    await db.query('SET GLOBAL innodb_snapshot_isolation = ON');
    const [setting] = await db.query<Array<{ value: number }>>(
      'SELECT @@GLOBAL.innodb_snapshot_isolation AS value',
    );
    if (Number(setting.value) !== 1) throw new Error('innodb_snapshot_isolation did not turn on');
  }, 60_000);
  afterAll(() => jest.restoreAllMocks());
  const t = useTestApp({
    env: async () => ({ ...(await privateDatabaseEnv(db, DB_NAME)), DB_POOL_SIZE: '40' }),
    backgroundJobs: false,
  });
  beforeAll(() => {
    transactions = t.app.get(TransactionRunner);
  });
  afterAll(() => db?.destroy());

  /**
   * A unit of work that reads one row plainly (taking its snapshot) and then locks another row,
   * which a second transaction changes in between while `conflicting(attempt)` says so.
   */
  const readThenLock = (conflicting: (attempt: number) => boolean) => async () => {
    const [read, locked] = [await insertProduct(1), await insertProduct(5)];
    let attempts = 0;
    const outcome = transactions.run(async () => {
      attempts += 1;
      await transactions.query('SELECT stock FROM products WHERE id = ?', [read]);
      if (conflicting(attempts)) {
        await sql('UPDATE products SET stock = stock + 1 WHERE id = ?', [locked]);
      }
      const [row] = await transactions.query<Array<{ stock: number }>>(
        'SELECT stock FROM products WHERE id = ? FOR UPDATE',
        [locked],
      );
      return Number(row.stock);
    });
    return { outcome, attempts: () => attempts };
  };

  it('a read-then-lock unit of work meeting a newer row version is re-run, and succeeds', async () => {
    const { outcome, attempts } = await readThenLock((attempt) => attempt === 1)();
    await expect(outcome).resolves.toBe(6);
    expect(attempts()).toBe(2);
  });

  it('a conflict on every attempt ends in 503 SERVICE_UNAVAILABLE after 3 attempts', async () => {
    const { outcome, attempts } = await readThenLock(() => true)();
    await expect(outcome).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(attempts()).toBe(3);
  });

  it('racing orders, payments, cancels and charges, keyed and not: no 5xx, stock and money add up', async () => {
    const retries = jest.spyOn(Logger.prototype, 'warn');
    const hot = [await insertProduct(1_000_000), await insertProduct(1_000_000)];
    const users = [1, 2, 3, 4];
    const answers: Array<{ step: string; answer: request.Response }> = [];
    /** Sends one step, with an Idempotency-Key when `key` is given. */
    const send = async (step: string, key: string | null, req: request.Test) => {
      const answer = await (key ? req.set('Idempotency-Key', key) : req);
      answers.push({ step: `${step}${key ? ' (keyed)' : ''}`, answer });
      return answer;
    };
    const post = (path: string, userId: number) =>
      request(t.baseUrl).post(`/api/v1${path}`).set(t.auth(userId));

    const chain = async (userId: number, chainNo: number) => {
      for (let round = 0; round < 5; round++) {
        const key = (step: string) =>
          (round + chainNo) % 2 === 0 ? `${userId}-${chainNo}-${round}-${step}` : null;
        await send(
          'charge',
          key('charge'),
          post(`/users/${userId}/balance/charge`, userId).send({ amount: 1_000 }),
        );
        const placed = await send(
          'place',
          key('place'),
          post('/orders', userId).send({
            userId,
            items: [
              { productId: hot[0], quantity: 1 },
              { productId: hot[1], quantity: 2 },
            ],
          }),
        );
        if (placed.status !== 201) continue;
        await send('pay', key('pay'), post(`/orders/${placed.body.id}/payment`, userId));
        if (round % 2 === 1) {
          await send('cancel', key('cancel'), post(`/orders/${placed.body.id}/cancel`, userId));
        }
      }
    };
    await Promise.all(
      users.flatMap((userId) => [0, 1, 2].map((chainNo) => chain(userId, chainNo))),
    );

    const statuses: Record<string, number> = {};
    for (const { step, answer } of answers) {
      const label = `${step}: ${answer.status}${answer.body.code ? ` ${answer.body.code}` : ''}`;
      statuses[label] = (statuses[label] ?? 0) + 1;
    }
    const conflictRetries = retries.mock.calls.filter(([message]) =>
      String(message).includes('(1020)'),
    ).length;
    report('mixed traffic', { requests: answers.length, statuses, conflictRetries });
    // No 500; and no 503 either: no transaction reads plainly before its locks (bar the re-read
    // of an order that changed between its plain read and its lock), so conflicts are rare and
    // one retry settles each.
    expect(answers.filter(({ answer }) => answer.status >= 500)).toEqual([]);

    // Stock: what orders hold is what left the stock, nothing more, nothing less.
    for (const productId of hot) {
      const [row] = await sql<Array<{ stock: number; reserved: number; held: number | null }>>(
        `SELECT p.stock, p.reserved,
                (SELECT SUM(i.quantity) FROM order_items i JOIN orders o ON o.id = i.order_id
                  WHERE i.product_id = p.id AND o.status IN ('PENDING_PAYMENT', 'PAID')) AS held
           FROM products p WHERE p.id = ?`,
        [productId],
      );
      expect(Number(row.stock) + Number(row.reserved)).toBe(1_000_000);
      expect(Number(row.reserved)).toBe(Number(row.held ?? 0));
    }
    // Money: every balance is its ledger's sum, and each paid order was debited exactly once.
    const ledger = await sql<Array<{ user_id: number; amount: number; net: number }>>(
      `SELECT b.user_id, b.amount,
              (SELECT COALESCE(SUM(CASE h.type WHEN 'USE' THEN -h.amount ELSE h.amount END), 0)
                 FROM balance_history h WHERE h.user_id = b.user_id) AS net
         FROM balances b`,
    );
    for (const row of ledger) expect(Number(row.amount)).toBe(Number(row.net));
    const [paid] = await sql<Array<{ orders: number; uses: number }>>(
      `SELECT (SELECT COUNT(*) FROM payments) AS orders,
              (SELECT COUNT(*) FROM balance_history WHERE type = 'USE') AS uses`,
    );
    expect(Number(paid.uses)).toBe(Number(paid.orders));
  });
});
