import request from 'supertest';
import { useTestApp } from '../support/use-test-app';

describe('balance charge (real database)', () => {
  const t = useTestApp();

  const charge = (userId: number, amount: number) =>
    request(t.baseUrl)
      .post(`/api/v1/users/${userId}/balance/charge`)
      .set(t.auth(userId))
      .send({ amount });

  const ledger = (userId: number) =>
    t.dataSource.query<{ type: string; amount: number; balance_after: number }[]>(
      'SELECT type, amount, balance_after FROM balance_history WHERE user_id = ? ORDER BY id',
      [userId],
    );

  it('100 concurrent charges of one user lose no update', async () => {
    await charge(7, 1_000).expect(200);

    const responses = await Promise.all(Array.from({ length: 100 }, () => charge(7, 1_000)));

    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(200));
    const [{ amount }] = await t.dataSource.query('SELECT amount FROM balances WHERE user_id = 7');
    expect(Number(amount)).toBe(101_000);
    const entries = await ledger(7);
    expect(entries).toHaveLength(101);
    // Each ledger row records the balance right after its own change: 1000, 2000, ... 101000.
    expect(entries.map((e) => Number(e.balance_after))).toEqual(
      Array.from({ length: 101 }, (_, i) => (i + 1) * 1_000),
    );
  });

  it('20 concurrent first charges of a new user all succeed and sum up', async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => charge(42, 100 + i)));

    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const expected = Array.from({ length: 20 }, (_, i) => 100 + i).reduce((a, b) => a + b, 0);
    const [{ amount }] = await t.dataSource.query('SELECT amount FROM balances WHERE user_id = 42');
    expect(Number(amount)).toBe(expected);
    expect(await ledger(42)).toHaveLength(20);
  });

  it('concurrent charges near BALANCE_MAX: exactly as many succeed as fit, never above the maximum', async () => {
    const max = t.config.balanceMax;
    const step = t.config.chargeMax;
    // Fill up to max - 3 * step, then race 10 charges of `step`: exactly 3 fit.
    await t.dataSource.query('INSERT INTO balances (user_id, amount) VALUES (9, ?)', [
      max - 3 * step,
    ]);

    const responses = await Promise.all(Array.from({ length: 10 }, () => charge(9, step)));

    expect(responses.filter((r) => r.status === 200)).toHaveLength(3);
    const rejected = responses.filter((r) => r.status === 409);
    expect(rejected).toHaveLength(7);
    expect(rejected.every((r) => r.body.code === 'BALANCE_LIMIT_EXCEEDED')).toBe(true);
    const [{ amount }] = await t.dataSource.query('SELECT amount FROM balances WHERE user_id = 9');
    expect(Number(amount)).toBe(max);
    expect(await ledger(9)).toHaveLength(3);
  });

  it('a rejected charge changes nothing', async () => {
    await charge(5, 5_000).expect(200);

    const tooLarge = await charge(5, t.config.chargeMax + 1);
    const notAnInteger = await request(t.baseUrl)
      .post('/api/v1/users/5/balance/charge')
      .set(t.auth(5))
      .send({ amount: 10.5 });

    expect(tooLarge.status).toBe(400);
    expect(notAnInteger.status).toBe(400);
    const [{ amount }] = await t.dataSource.query('SELECT amount FROM balances WHERE user_id = 5');
    expect(Number(amount)).toBe(5_000);
    expect(await ledger(5)).toHaveLength(1);
  });
});
