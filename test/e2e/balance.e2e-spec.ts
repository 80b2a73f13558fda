import request from 'supertest';
import { expectErrorBody, expectValidationError } from '../support/error-assertions';
import { useTestApp } from '../support/use-test-app';

describe('balance (HTTP contract)', () => {
  const t = useTestApp();

  const api = () => request(t.baseUrl);
  const charge = (userId: number, body: unknown, as = t.auth(userId)) =>
    api()
      .post(`/api/v1/users/${userId}/balance/charge`)
      .set(as)
      .send(body as object);
  const stored = async (userId: number) => {
    const rows = await t.dataSource.query<{ amount: number }[]>(
      'SELECT amount FROM balances WHERE user_id = ?',
      [userId],
    );
    return rows.length ? Number(rows[0].amount) : null;
  };
  const ledgerSize = async (userId: number) => {
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      'SELECT COUNT(*) AS n FROM balance_history WHERE user_id = ?',
      [userId],
    );
    return Number(n);
  };

  describe('GET /users/:userId/balance', () => {
    it('is 0 for a user who never charged, and creates no row', async () => {
      const res = await api().get('/api/v1/users/5/balance').set(t.auth(5)).expect(200);
      expect(res.body).toEqual({ userId: 5, balance: 0 });
      expect(await stored(5)).toBeNull();
    });

    it('shows what was charged', async () => {
      await charge(5, { amount: 12_345 }).expect(200);
      const res = await api().get('/api/v1/users/5/balance').set(t.auth(5)).expect(200);
      expect(res.body).toEqual({ userId: 5, balance: 12_345 });
    });

    it("is 403 FORBIDDEN for another user's balance and 401 without a token", async () => {
      expectErrorBody(
        await api().get('/api/v1/users/5/balance').set(t.auth(6)),
        403,
        'FORBIDDEN',
        '/api/v1/users/5/balance',
      );
      expectErrorBody(
        await api().get('/api/v1/users/5/balance'),
        401,
        'UNAUTHORIZED',
        '/api/v1/users/5/balance',
      );
    });

    it("lets an admin read anyone's balance", async () => {
      await charge(5, { amount: 700 }).expect(200);
      const res = await api()
        .get('/api/v1/users/5/balance')
        .set(t.auth(1, { admin: true }))
        .expect(200);
      expect(res.body).toEqual({ userId: 5, balance: 700 });
    });

    it.each(['0', '-1', 'abc', '1.5', '99999999999999999999', '1e3'])(
      'rejects the user id %p with 400',
      async (id) => {
        const res = await api().get(`/api/v1/users/${id}/balance`).set(t.auth(1));
        expectValidationError(res, 'userId');
      },
    );
  });

  describe('POST /users/:userId/balance/charge', () => {
    it('adds the amount: 200 {userId, balance}', async () => {
      const first = await charge(8, { amount: 1_000 });
      const second = await charge(8, { amount: 2_500 });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ userId: 8, balance: 1_000 });
      expect(second.body).toEqual({ userId: 8, balance: 3_500 });
      expect(await stored(8)).toBe(3_500);
    });

    it('accepts exactly 1 and exactly CHARGE_MAX', async () => {
      await charge(8, { amount: 1 }).expect(200);
      const res = await charge(8, { amount: t.config.chargeMax }).expect(200);
      expect(res.body.balance).toBe(t.config.chargeMax + 1);
    });

    it('refuses a charge that would pass BALANCE_MAX with 409 BALANCE_LIMIT_EXCEEDED, changing nothing', async () => {
      const start = t.config.balanceMax - 100;
      await t.dataSource.query('INSERT INTO balances (user_id, amount) VALUES (8, ?)', [start]);

      const res = await charge(8, { amount: 101 });

      expectErrorBody(res, 409, 'BALANCE_LIMIT_EXCEEDED', '/api/v1/users/8/balance/charge');
      expect(await stored(8)).toBe(start);
      expect(await ledgerSize(8)).toBe(0);
      const exact = await charge(8, { amount: 100 }).expect(200);
      expect(exact.body.balance).toBe(t.config.balanceMax);
    });

    it.each([
      ['above CHARGE_MAX', { amount: 10_000_001 }],
      ['zero', { amount: 0 }],
      ['negative', { amount: -100 }],
      ['a fraction', { amount: 100.5 }],
      ['a string number', { amount: '1000' }],
      ['1e20', { amount: 1e20 }],
      ['null', { amount: null }],
      ['missing', {}],
      ['an array', { amount: [1000] }],
      ['an object', { amount: { value: 1000 } }],
      ['a boolean', { amount: true }],
    ])(
      'rejects an amount that is %s with 400 on "amount" and changes nothing',
      async (_label, body) => {
        await charge(8, { amount: 50 }).expect(200);
        const res = await charge(8, body);
        expectValidationError(res, 'amount');
        expect(await stored(8)).toBe(50);
        expect(await ledgerSize(8)).toBe(1);
      },
    );

    it('rejects unknown fields with 400 naming them', async () => {
      const res = await charge(8, { amount: 100, userId: 9, bonus: 5 });
      expectValidationError(res, 'userId', 'bonus');
      expect(await stored(8)).toBeNull();
    });

    it("is 403 for another user's balance and changes nothing; 401 without a token", async () => {
      expectErrorBody(await charge(8, { amount: 100 }, t.auth(9)), 403, 'FORBIDDEN');
      expectErrorBody(
        await api().post('/api/v1/users/8/balance/charge').send({ amount: 100 }),
        401,
        'UNAUTHORIZED',
      );
      expect(await stored(8)).toBeNull();
      expect(await ledgerSize(8)).toBe(0);
    });

    it('checks the token before the body: a bad body from a stranger is 401, not 400', async () => {
      expectErrorBody(
        await api().post('/api/v1/users/8/balance/charge').send({ amount: 'x' }),
        401,
        'UNAUTHORIZED',
      );
    });

    it("lets an admin charge anyone's balance", async () => {
      const res = await charge(8, { amount: 300 }, t.auth(1, { admin: true })).expect(200);
      expect(res.body).toEqual({ userId: 8, balance: 300 });
    });
  });

  describe('GET /users/:userId/balance/history', () => {
    it('is an empty page for a new user', async () => {
      const res = await api().get('/api/v1/users/3/balance/history').set(t.auth(3)).expect(200);
      expect(res.body).toEqual({ items: [], page: 1, size: 20, totalItems: 0, totalPages: 0 });
    });

    it('pages the entries newest first, each {id, type, amount, balanceAfter, orderId, createdAt}', async () => {
      const before = Date.now();
      for (const amount of [100, 200, 300]) await charge(3, { amount }).expect(200);
      await charge(4, { amount: 999 }).expect(200);

      const first = await api()
        .get('/api/v1/users/3/balance/history?page=1&size=2')
        .set(t.auth(3))
        .expect(200);
      const second = await api()
        .get('/api/v1/users/3/balance/history?page=2&size=2')
        .set(t.auth(3))
        .expect(200);

      expect(first.body).toMatchObject({ page: 1, size: 2, totalItems: 3, totalPages: 2 });
      expect(first.body.items).toEqual([
        {
          id: expect.any(Number),
          type: 'CHARGE',
          amount: 300,
          balanceAfter: 600,
          orderId: null,
          createdAt: expect.any(String),
        },
        {
          id: expect.any(Number),
          type: 'CHARGE',
          amount: 200,
          balanceAfter: 300,
          orderId: null,
          createdAt: expect.any(String),
        },
      ]);
      expect(second.body.items).toEqual([
        expect.objectContaining({ amount: 100, balanceAfter: 100 }),
      ]);
      expect(first.body.items[0].id).toBeGreaterThan(first.body.items[1].id);
      for (const item of [...first.body.items, ...second.body.items]) {
        expect(item.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        const at = new Date(item.createdAt).getTime();
        expect(at).toBeGreaterThanOrEqual(before - 1_000);
        expect(at).toBeLessThanOrEqual(Date.now() + 1_000);
      }
    });

    it('records nothing for refused charges', async () => {
      await charge(3, { amount: 100 }).expect(200);
      await charge(3, { amount: 0 }).expect(400);
      await charge(3, { amount: 100 }, t.auth(4)).expect(403);
      const res = await api().get('/api/v1/users/3/balance/history').set(t.auth(3)).expect(200);
      expect(res.body.totalItems).toBe(1);
    });

    it("is 403 for another user's history; an admin may read it", async () => {
      await charge(3, { amount: 100 }).expect(200);
      expectErrorBody(
        await api().get('/api/v1/users/3/balance/history').set(t.auth(4)),
        403,
        'FORBIDDEN',
      );
      const res = await api()
        .get('/api/v1/users/3/balance/history')
        .set(t.auth(1, { admin: true }))
        .expect(200);
      expect(res.body.totalItems).toBe(1);
    });

    it.each(['size=101', 'size=0', 'page=0', 'page=x', 'size=2.5', 'page=-3'])(
      'rejects ?%s with 400',
      async (query) => {
        const res = await api().get(`/api/v1/users/3/balance/history?${query}`).set(t.auth(3));
        expectErrorBody(res, 400, 'VALIDATION_FAILED', '/api/v1/users/3/balance/history');
        expect(res.body.details.length).toBeGreaterThan(0);
      },
    );
  });
});
