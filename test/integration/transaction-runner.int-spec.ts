import request from 'supertest';
import type { QueryRunner } from 'typeorm';
import { TransactionRunner } from '../../src/common/database/transaction-runner';
import { expectErrorBody } from '../support/error-assertions';
import { useTestApp } from '../support/use-test-app';

describe('TransactionRunner (real database, DB_LOCK_WAIT_TIMEOUT_SECONDS=1)', () => {
  let runner: TransactionRunner;

  beforeAll(() => {
    // TypeORM prints each failed query on the console; the lock timeouts here are on purpose.
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  const t = useTestApp({ env: { DB_LOCK_WAIT_TIMEOUT_SECONDS: '1' } });
  beforeAll(() => {
    runner = t.app.get(TransactionRunner);
  });
  afterAll(() => jest.restoreAllMocks());

  const charge = (userId: number, amount: number, key?: string) => {
    const req = request(t.baseUrl)
      .post(`/api/v1/users/${userId}/balance/charge`)
      .set(t.auth(userId));
    if (key) void req.set('Idempotency-Key', key);
    return req.send({ amount });
  };
  const balance = async (userId: number) => {
    const rows = await t.dataSource.query<{ amount: number }[]>(
      'SELECT amount FROM balances WHERE user_id = ?',
      [userId],
    );
    return rows.length ? Number(rows[0].amount) : null;
  };
  const ledger = async (userId: number) =>
    (await t.dataSource.query('SELECT id FROM balance_history WHERE user_id = ?', [userId])).length;

  /** Runs `sql` in a separate transaction that keeps its locks until released. */
  async function holdLock(
    sql: string,
    parameters: unknown[],
  ): Promise<{ release(): Promise<void> }> {
    const holder: QueryRunner = t.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(sql, parameters);
    return {
      release: async () => {
        await holder.rollbackTransaction();
        await holder.release();
      },
    };
  }

  describe('a lock wait beyond the timeout', () => {
    it('becomes 503 SERVICE_UNAVAILABLE within a few seconds, not a hang, and writes nothing', async () => {
      await charge(5, 100).expect(200);
      const lock = await holdLock('SELECT amount FROM balances WHERE user_id = ? FOR UPDATE', [5]);
      let res: request.Response;
      const started = Date.now();
      try {
        res = await charge(5, 50);
      } finally {
        await lock.release();
      }
      const elapsed = Date.now() - started;

      expectErrorBody(res, 503, 'SERVICE_UNAVAILABLE', '/api/v1/users/5/balance/charge');
      expect(res.headers['retry-after']).toBeDefined();
      expect(elapsed).toBeGreaterThanOrEqual(900);
      expect(elapsed).toBeLessThan(5_000);
      expect(await balance(5)).toBe(100);
      expect(await ledger(5)).toBe(1);

      // The connection went back to the pool clean: the next charge works.
      const after = await charge(5, 50);
      expect(after.status).toBe(200);
      expect(after.body).toEqual({ userId: 5, balance: 150 });
    });

    it('on a first charge (no balance row yet, the row lock held by another insert) is a 503 too', async () => {
      const lock = await holdLock('INSERT INTO balances (user_id, amount) VALUES (?, 0)', [6]);
      let res: request.Response;
      try {
        res = await charge(6, 10);
      } finally {
        await lock.release();
      }
      expectErrorBody(res, 503, 'SERVICE_UNAVAILABLE');
      expect(await balance(6)).toBeNull();
      expect(await ledger(6)).toBe(0);
    });

    it('with an Idempotency-Key, releases the key: a retry after the lock is gone does the work', async () => {
      await charge(5, 100).expect(200);
      const lock = await holdLock('SELECT amount FROM balances WHERE user_id = ? FOR UPDATE', [5]);
      let res: request.Response;
      try {
        res = await charge(5, 25, 'busy');
      } finally {
        await lock.release();
      }
      expectErrorBody(res, 503, 'SERVICE_UNAVAILABLE');
      expect(await t.dataSource.query('SELECT id FROM idempotency_keys')).toEqual([]);

      const retry = await charge(5, 25, 'busy');
      expect(retry.status).toBe(200);
      expect(retry.headers['idempotent-replayed']).toBeUndefined();
      expect(retry.body.balance).toBe(125);
      expect(await ledger(5)).toBe(2);
    });

    it('on a restock (product row locked) is a 503 and the stock is unchanged', async () => {
      const created = await request(t.baseUrl)
        .post('/api/v1/products')
        .set(t.auth(1, { admin: true }))
        .send({ name: 'Lamp', price: 100, stock: 3 })
        .expect(201);
      const id = created.body.id as number;
      const lock = await holdLock('SELECT stock FROM products WHERE id = ? FOR UPDATE', [id]);
      let res: request.Response;
      try {
        res = await request(t.baseUrl)
          .post(`/api/v1/products/${id}/stock`)
          .set(t.auth(1, { admin: true }))
          .send({ quantity: 5 });
      } finally {
        await lock.release();
      }
      expectErrorBody(res, 503, 'SERVICE_UNAVAILABLE');
      const [row] = await t.dataSource.query<{ stock: number }[]>(
        'SELECT stock FROM products WHERE id = ?',
        [id],
      );
      expect(Number(row.stock)).toBe(3);
    });

    it('more waiting requests than pool connections all end (503), and the pool recovers', async () => {
      await charge(5, 100).expect(200);
      const lock = await holdLock('SELECT amount FROM balances WHERE user_id = ? FOR UPDATE', [5]);
      let responses: request.Response[];
      const started = Date.now();
      try {
        responses = await Promise.all(Array.from({ length: 15 }, () => charge(5, 1)));
      } finally {
        await lock.release();
      }
      expect(Date.now() - started).toBeLessThan(20_000);
      for (const res of responses) expectErrorBody(res, 503, 'SERVICE_UNAVAILABLE');
      expect(await balance(5)).toBe(100);
      expect(await ledger(5)).toBe(1);
      await charge(5, 1).expect(200);
      await request(t.baseUrl).get('/health').expect(200);
    });
  });

  describe('the unit of work', () => {
    it('applies the configured lock wait timeout to its connections', async () => {
      const [row] = await runner.run(() =>
        runner.query<Array<{ timeout: number }>>('SELECT @@innodb_lock_wait_timeout AS timeout'),
      );
      expect(Number(row.timeout)).toBe(1);
    });

    it('applies it outside a transaction too (every pooled connection, from its first statement)', async () => {
      const rows = await Promise.all(
        Array.from({ length: 8 }, () =>
          runner.query<Array<{ timeout: number }>>('SELECT @@innodb_lock_wait_timeout AS timeout'),
        ),
      );
      expect(rows.map(([row]) => Number(row.timeout))).toEqual(Array(8).fill(1));
    });

    it('commits every statement of a successful run together', async () => {
      await runner.run(async () => {
        await runner.query('INSERT INTO balances (user_id, amount) VALUES (20, 5)');
        await runner.query('UPDATE balances SET amount = 6 WHERE user_id = 20');
      });
      expect(await balance(20)).toBe(6);
    });

    it('rolls back every statement when the work throws, and rethrows the error', async () => {
      const failure = new Error('rule broken after the first write');
      await expect(
        runner.run(async () => {
          await runner.query('INSERT INTO balances (user_id, amount) VALUES (21, 5)');
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await balance(21)).toBeNull();
    });

    it("a collaborator works in the caller's transaction: a failure in it rolls back the outer work too", async () => {
      const collaborator = async () => {
        runner.requireTransaction();
        await runner.query('INSERT INTO balances (user_id, amount) VALUES (23, 5)');
        throw new Error('inner failure');
      };
      await expect(
        runner.run(async () => {
          await runner.query('INSERT INTO balances (user_id, amount) VALUES (22, 5)');
          expect(runner.inTransaction).toBe(true);
          await collaborator();
        }),
      ).rejects.toThrow('inner failure');
      expect(await balance(22)).toBeNull();
      expect(await balance(23)).toBeNull();
      expect(runner.inTransaction).toBe(false);
    });

    it('opens a transaction in one place only: a run inside a run throws, and the outer work rolls back', async () => {
      await expect(
        runner.run(async () => {
          await runner.query('INSERT INTO balances (user_id, amount) VALUES (29, 5)');
          await runner.run(() =>
            runner.query('INSERT INTO balances (user_id, amount) VALUES (30, 5)'),
          );
        }),
      ).rejects.toThrow('a transaction is already open');
      expect(await balance(29)).toBeNull();
      expect(await balance(30)).toBeNull();
    });

    it('requireTransaction throws outside a transaction, and in an idempotency unit before its run', async () => {
      expect(() => runner.requireTransaction()).toThrow('inside a transaction');
      await runner.runDeferred(async () => {
        expect(() => runner.requireTransaction()).toThrow('inside a transaction');
        await runner.run(async () => runner.requireTransaction());
      });
    });

    it('keeps concurrent runs apart: each sees only its own uncommitted rows', async () => {
      // Both insert, then both count, before either commits.
      const barrier = () => {
        let arrived = 0;
        let open!: () => void;
        const opened = new Promise<void>((resolve) => (open = resolve));
        return () => {
          if (++arrived === 2) open();
          return opened;
        };
      };
      const inserted = barrier();
      const counted = barrier();
      const insertThenCount = (userId: number) =>
        runner.run(async () => {
          await runner.query('INSERT INTO balances (user_id, amount) VALUES (?, 1)', [userId]);
          await inserted();
          const [row] = await runner.query<Array<{ n: number }>>(
            'SELECT COUNT(*) AS n FROM balances WHERE user_id IN (24, 25)',
          );
          await counted();
          return Number(row.n);
        });
      const seen = await Promise.all([insertThenCount(24), insertThenCount(25)]);
      expect(seen).toEqual([1, 1]);
      expect(await balance(24)).toBe(1);
      expect(await balance(25)).toBe(1);
    });

    it('runDeferred: reads before the first run hold no snapshot; the run begins the transaction, which commits at the end', async () => {
      await runner.query('INSERT INTO balances (user_id, amount) VALUES (26, 1)');
      const read = async () =>
        Number(
          (
            await runner.query<Array<{ amount: number }>>(
              'SELECT amount FROM balances WHERE user_id = 26',
            )
          )[0].amount,
        );
      /** Another connection's committed write, from the pool (outside this unit). */
      const elsewhere = (amount: number) =>
        t.dataSource.query('UPDATE balances SET amount = ? WHERE user_id = 26', [amount]);

      const seen = await runner.runDeferred(async () => {
        const first = await read();
        await elsewhere(2);
        return runner.run(async () => {
          // Under a snapshot from the first read, this would still be 1.
          const inRun = await read();
          await elsewhere(3);
          // Now the transaction's snapshot holds: the other write is not seen.
          const later = await read();
          await runner.query('INSERT INTO balances (user_id, amount) VALUES (27, 5)');
          return [first, inRun, later, runner.inTransaction];
        });
      });

      expect(seen).toEqual([1, 2, 2, true]);
      expect(await balance(27)).toBe(5);
    });

    it('runDeferred: a failure after the run rolls back everything the transaction wrote', async () => {
      await expect(
        runner.runDeferred(async () => {
          await runner.run(() =>
            runner.query('INSERT INTO balances (user_id, amount) VALUES (28, 5)'),
          );
          throw new Error('the response could not be stored');
        }),
      ).rejects.toThrow('the response could not be stored');
      expect(await balance(28)).toBeNull();
    });

    it('afterCommit: called once the transaction committed, never for one that rolled back', async () => {
      const called: string[] = [];
      await runner.run(async () => {
        runner.afterCommit(() => called.push('committed'));
        expect(called).toEqual([]);
      });
      await runner
        .run(async () => {
          runner.afterCommit(() => called.push('rolled back'));
          throw new Error('rolled back');
        })
        .catch(() => undefined);
      runner.afterCommit(() => called.push('outside a transaction: at once'));
      expect(called).toEqual(['committed', 'outside a transaction: at once']);
    });
  });
});
