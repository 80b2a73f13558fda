import request from 'supertest';
import type { QueryRunner } from 'typeorm';
import { requestFingerprint } from '../../src/common/idempotency/request-fingerprint';
import { expectErrorBody } from '../support/error-assertions';
import { balanceOf, countRows, insertProduct } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { useTwoTestApps } from '../support/use-test-app';

describe('Idempotency-Key (real database, several processes)', () => {
  const { a: t, b: other } = useTwoTestApps();

  const PATH = (userId: number) => `/api/v1/users/${userId}/balance/charge`;
  const charge = (app: TestApp, userId: number, amount: number, key: string) =>
    request(app.baseUrl)
      .post(PATH(userId))
      .set(app.auth(userId))
      .set('Idempotency-Key', key)
      .send({ amount });

  const balance = (userId: number) => balanceOf(t.dataSource, userId);
  const ledger = (userId: number) =>
    countRows(t.dataSource, 'balance_history', 'user_id = ?', [userId]);
  const keyRows = () =>
    t.dataSource.query<
      { user_id: number; idem_key: string; status: string; response_status: number | null }[]
    >('SELECT user_id, idem_key, status, response_status FROM idempotency_keys ORDER BY id');

  /** Holds the balance row of `userId` locked in a separate transaction until released. */
  async function lockBalanceRow(userId: number): Promise<{ release(): Promise<void> }> {
    await t.dataSource.query(
      'INSERT INTO balances (user_id, amount) VALUES (?, 0) ON DUPLICATE KEY UPDATE user_id = user_id',
      [userId],
    );
    const runner: QueryRunner = t.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query('SELECT amount FROM balances WHERE user_id = ? FOR UPDATE', [userId]);
    return {
      release: async () => {
        await runner.commitTransaction();
        await runner.release();
      },
    };
  }

  async function waitFor(check: () => Promise<boolean>, timeoutMs = 3_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > until) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('10 concurrent requests with one key: the work is done exactly once, the rest replay or are told it is in progress', async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => charge(t, 5, 1_000, 'race')),
    );

    const originals = responses.filter(
      (r) => r.status === 200 && r.headers['idempotent-replayed'] === undefined,
    );
    const replays = responses.filter(
      (r) => r.status === 200 && r.headers['idempotent-replayed'] === 'true',
    );
    const inProgress = responses.filter((r) => r.status === 409);
    expect(originals).toHaveLength(1);
    expect(replays.length + inProgress.length).toBe(9);
    for (const r of replays) expect(r.body).toEqual({ userId: 5, balance: 1_000 });
    for (const r of inProgress) expectErrorBody(r, 409, 'IDEMPOTENCY_KEY_IN_PROGRESS', PATH(5));
    expect(await balance(5)).toBe(1_000);
    expect(await ledger(5)).toBe(1);
    expect(await keyRows()).toEqual([
      { user_id: 5, idem_key: 'race', status: 'COMPLETED', response_status: 200 },
    ]);
  });

  it('while the first request is still running, the same key is 409 IDEMPOTENCY_KEY_IN_PROGRESS; afterwards it replays', async () => {
    const lock = await lockBalanceRow(5);
    let first: Promise<request.Response>;
    try {
      first = charge(t, 5, 700, 'slow').then((r) => r);
      await waitFor(async () => (await keyRows()).length === 1);

      const meanwhile = await charge(t, 5, 700, 'slow');
      expectErrorBody(meanwhile, 409, 'IDEMPOTENCY_KEY_IN_PROGRESS', PATH(5));
      const elsewhere = await charge(other, 5, 700, 'slow');
      expectErrorBody(elsewhere, 409, 'IDEMPOTENCY_KEY_IN_PROGRESS');
      // A different body is refused outright even while the first runs.
      expectErrorBody(await charge(t, 5, 701, 'slow'), 422, 'IDEMPOTENCY_KEY_REUSED');
    } finally {
      await lock.release();
    }

    const done = await first;
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ userId: 5, balance: 700 });
    const replay = await charge(t, 5, 700, 'slow');
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(done.body);
    expect(await balance(5)).toBe(700);
    expect(await ledger(5)).toBe(1);
  });

  it('a completed key replays its status and body with `idempotent-replayed: true`', async () => {
    const first = await charge(t, 6, 250, 'done');
    const replay = await charge(t, 6, 250, 'done');
    expect(first.status).toBe(200);
    expect(replay.status).toBe(first.status);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(await ledger(6)).toBe(1);
  });

  it('the same key with a different body is 422 IDEMPOTENCY_KEY_REUSED and does nothing', async () => {
    await charge(t, 6, 250, 'k').expect(200);
    expectErrorBody(await charge(t, 6, 999, 'k'), 422, 'IDEMPOTENCY_KEY_REUSED', PATH(6));
    expectErrorBody(await charge(other, 6, 999, 'k'), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await balance(6)).toBe(250);
    expect(await ledger(6)).toBe(1);
  });

  it('a business refusal is stored and replayed: a keyed payment refused for its balance stays refused', async () => {
    const product = await insertProduct(t.dataSource, 5_000, 5);
    const order = (
      await request(t.baseUrl)
        .post('/api/v1/orders')
        .set(t.auth(7))
        .send({ userId: 7, items: [{ productId: product, quantity: 1 }] })
        .expect(201)
    ).body as { id: number };
    const pay = (app: TestApp) =>
      request(app.baseUrl)
        .post(`/api/v1/orders/${order.id}/payment`)
        .set(app.auth(7))
        .set('Idempotency-Key', 'pay-once');

    const first = await pay(t);
    expectErrorBody(first, 409, 'INSUFFICIENT_BALANCE');
    expect(await keyRows()).toEqual([
      { user_id: 7, idem_key: 'pay-once', status: 'COMPLETED', response_status: 409 },
    ]);
    await charge(t, 7, 10_000, 'top-up').expect(200);

    // Before: the retry ran again and, after the charge, paid. Now it is the first answer again.
    for (const app of [t, other]) {
      const retry = await pay(app);
      expect([retry.status, retry.headers['idempotent-replayed']]).toEqual([409, 'true']);
      expect(retry.body).toEqual(first.body);
    }
    expect(await balance(7)).toBe(10_000);
    const [row] = await t.dataSource.query('SELECT status FROM orders WHERE id = ?', [order.id]);
    expect(row.status).toBe('PENDING_PAYMENT');
    // A new key is a new request: it pays.
    const fresh = await request(t.baseUrl)
      .post(`/api/v1/orders/${order.id}/payment`)
      .set(t.auth(7))
      .set('Idempotency-Key', 'pay-again');
    expect(fresh.status).toBe(200);
    expect(await balance(7)).toBe(5_000);
  });

  it('a slow first request keeps its key while it runs, past its lease: a retry meanwhile is 409, never a second run', async () => {
    const slowApp = await startTestApp({ IDEMPOTENCY_LEASE_SECONDS: '1' });
    try {
      const lock = await lockBalanceRow(11);
      let first: Promise<request.Response>;
      try {
        first = charge(slowApp, 11, 900, 'slow-lease').then((r) => r);
        await waitFor(async () => (await keyRows()).length === 1);
        // Twice the lease: the claim would have run out, and this retry taken it over.
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        const retry = await charge(other, 11, 900, 'slow-lease');
        expectErrorBody(retry, 409, 'IDEMPOTENCY_KEY_IN_PROGRESS');
      } finally {
        await lock.release();
      }
      const done = await first;
      expect(done.status).toBe(200);
      expect(done.body).toEqual({ userId: 11, balance: 900 });
      const replay = await charge(other, 11, 900, 'slow-lease');
      expect([replay.status, replay.headers['idempotent-replayed']]).toEqual([200, 'true']);
      expect(await balance(11)).toBe(900);
      expect(await ledger(11)).toBe(1);
    } finally {
      await slowApp.close();
    }
  });

  describe('a claim whose process died', () => {
    async function leaveClaim(
      userId: number,
      key: string,
      amount: number,
      lockedUntil: Date,
    ): Promise<void> {
      const now = new Date();
      await t.dataSource.query(
        `INSERT INTO idempotency_keys
           (user_id, idem_key, fingerprint, status, claim_token, locked_until, created_at, expires_at)
         VALUES (?, ?, ?, 'IN_PROGRESS', ?, ?, ?, ?)`,
        [
          userId,
          key,
          requestFingerprint('POST', PATH(userId), { amount }),
          '00000000-0000-4000-8000-000000000000',
          lockedUntil,
          now,
          new Date(now.getTime() + 24 * 3600 * 1000),
        ],
      );
    }

    it('blocks retries while its lease lasts', async () => {
      await leaveClaim(8, 'orphan', 300, new Date(Date.now() + 60_000));
      expectErrorBody(await charge(t, 8, 300, 'orphan'), 409, 'IDEMPOTENCY_KEY_IN_PROGRESS');
      expect(await ledger(8)).toBe(0);
    });

    it('is taken over by a retry once its lease ran out, and the work is done once', async () => {
      await leaveClaim(8, 'orphan', 300, new Date(Date.now() + 60_000));
      await t.dataSource.query('UPDATE idempotency_keys SET locked_until = ? WHERE idem_key = ?', [
        new Date(Date.now() - 1_000),
        'orphan',
      ]);

      const retry = await charge(other, 8, 300, 'orphan');

      expect(retry.status).toBe(200);
      expect(retry.body).toEqual({ userId: 8, balance: 300 });
      expect(retry.headers['idempotent-replayed']).toBeUndefined();
      expect(await keyRows()).toEqual([
        { user_id: 8, idem_key: 'orphan', status: 'COMPLETED', response_status: 200 },
      ]);
      const replay = await charge(t, 8, 300, 'orphan');
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(await balance(8)).toBe(300);
      expect(await ledger(8)).toBe(1);
    });

    it('a stale retry racing 10-fold still applies the work once', async () => {
      await leaveClaim(8, 'orphan', 300, new Date(Date.now() - 1_000));
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => charge(i % 2 ? other : t, 8, 300, 'orphan')),
      );
      expect(
        responses.filter((r) => r.status === 200 && !r.headers['idempotent-replayed']),
      ).toHaveLength(1);
      expect(responses.every((r) => r.status === 200 || r.status === 409)).toBe(true);
      expect(await balance(8)).toBe(300);
      expect(await ledger(8)).toBe(1);
    });
  });

  it('a slow first request that lost its lease to a retry cannot complete too: the work is done once', async () => {
    const lock = await lockBalanceRow(9);
    let slow: Promise<request.Response>;
    let takeover: Promise<request.Response>;
    try {
      slow = charge(t, 9, 500, 'lease').then((r) => r);
      await waitFor(async () => (await keyRows()).length === 1);
      await t.dataSource.query('UPDATE idempotency_keys SET locked_until = ? WHERE idem_key = ?', [
        new Date(Date.now() - 1_000),
        'lease',
      ]);
      takeover = charge(other, 9, 500, 'lease').then((r) => r);
      // Let the takeover claim the key before the row lock is released.
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      await lock.release();
    }
    const [a, b] = await Promise.all([slow, takeover]);

    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    expect(await balance(9)).toBe(500);
    expect(await ledger(9)).toBe(1);
    expect(await keyRows()).toEqual([
      { user_id: 9, idem_key: 'lease', status: 'COMPLETED', response_status: 200 },
    ]);
  });

  describe('two app instances sharing one database', () => {
    it('honour the same key: a request on one replays on the other', async () => {
      const first = await charge(t, 10, 400, 'shared');
      const second = await charge(other, 10, 400, 'shared');
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.body).toEqual(first.body);
      expect(await ledger(10)).toBe(1);
    });

    it('10 concurrent requests spread over both instances apply the work exactly once', async () => {
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => charge(i % 2 ? other : t, 10, 400, 'spread')),
      );
      const originals = responses.filter(
        (r) => r.status === 200 && r.headers['idempotent-replayed'] === undefined,
      );
      expect(originals).toHaveLength(1);
      for (const r of responses.filter((x) => x.status !== 200)) {
        expectErrorBody(r, 409, 'IDEMPOTENCY_KEY_IN_PROGRESS');
      }
      expect(await balance(10)).toBe(400);
      expect(await ledger(10)).toBe(1);
    });

    it('different keys on both instances all do their work', async () => {
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => charge(i % 2 ? other : t, 11, 100, `key-${i}`)),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect(await balance(11)).toBe(1_000);
      expect(await ledger(11)).toBe(10);
    });
  });
});
