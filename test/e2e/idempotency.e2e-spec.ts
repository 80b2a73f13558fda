import request from 'supertest';
import { balanceOf, countRows } from '../support/fixtures';
import { expectErrorBody, expectValidationError } from '../support/error-assertions';
import { useTestApp } from '../support/use-test-app';

describe('Idempotency-Key (HTTP contract)', () => {
  const t = useTestApp();

  const charge = (userId: number, amount: unknown, key?: string, as = t.auth(userId)) => {
    const req = request(t.baseUrl).post(`/api/v1/users/${userId}/balance/charge`).set(as);
    if (key !== undefined) void req.set('Idempotency-Key', key);
    return req.send({ amount });
  };
  const balance = (userId: number) => balanceOf(t.dataSource, userId);
  const ledger = (userId: number) =>
    countRows(t.dataSource, 'balance_history', 'user_id = ?', [userId]);

  it('replays the first response (status and body) without doing the work again', async () => {
    const first = await charge(5, 1_000, 'key-1');
    const again = await charge(5, 1_000, 'key-1');

    expect(first.status).toBe(200);
    expect(first.body).toEqual({ userId: 5, balance: 1_000 });
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await balance(5)).toBe(1_000);
    expect(await ledger(5)).toBe(1);
  });

  it('replays the original body even after the balance moved on', async () => {
    await charge(5, 100, 'a').expect(200);
    await charge(5, 50, 'b').expect(200);
    const replay = await charge(5, 100, 'a');
    expect(replay.body).toEqual({ userId: 5, balance: 100 });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(await balance(5)).toBe(150);
  });

  it('treats a body with the same fields in another order as the same request', async () => {
    await request(t.baseUrl)
      .post('/api/v1/users/5/balance/charge')
      .set(t.auth(5))
      .set('Idempotency-Key', 'ordered')
      .set('Content-Type', 'application/json')
      .send('{"amount": 300}')
      .expect(200);
    const replay = await request(t.baseUrl)
      .post('/api/v1/users/5/balance/charge')
      .set(t.auth(5))
      .set('Idempotency-Key', 'ordered')
      .set('Content-Type', 'application/json')
      .send('{ "amount" :300 }');
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(await balance(5)).toBe(300);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with a different body, doing nothing', async () => {
    await charge(5, 1_000, 'key-1').expect(200);
    const res = await charge(5, 2_000, 'key-1');
    expectErrorBody(res, 422, 'IDEMPOTENCY_KEY_REUSED', '/api/v1/users/5/balance/charge');
    expect(await balance(5)).toBe(1_000);
    expect(await ledger(5)).toBe(1);
  });

  it('answers 422 for the same key on another route (another user, by an admin)', async () => {
    const admin = t.auth(1, { admin: true });
    await charge(5, 1_000, 'admin-key', admin).expect(200);
    const res = await charge(6, 1_000, 'admin-key', admin);
    expectErrorBody(res, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await balance(6)).toBe(0);
  });

  it('keeps keys per user: two users may use the same key independently', async () => {
    await charge(5, 100, 'shared').expect(200);
    const other = await charge(6, 100, 'shared');
    expect(other.status).toBe(200);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(await balance(5)).toBe(100);
    expect(await balance(6)).toBe(100);
  });

  it('is case-sensitive: keys that differ in case are different keys', async () => {
    await charge(5, 100, 'Key').expect(200);
    const res = await charge(5, 100, 'key');
    expect(res.status).toBe(200);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(await balance(5)).toBe(200);
  });

  it('without a key, every request does the work', async () => {
    await charge(5, 100).expect(200);
    await charge(5, 100).expect(200);
    expect(await balance(5)).toBe(200);
  });

  describe('a business refusal is the first response: stored and replayed', () => {
    it('409 BALANCE_LIMIT_EXCEEDED is replayed, status and body, even once there is room', async () => {
      await t.dataSource.query('INSERT INTO balances (user_id, amount) VALUES (5, ?)', [
        t.config.balanceMax,
      ]);
      const first = await charge(5, 100, 'full');
      expectErrorBody(first, 409, 'BALANCE_LIMIT_EXCEEDED');
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      await t.dataSource.query('UPDATE balances SET amount = 0 WHERE user_id = 5');

      const retry = await charge(5, 100, 'full');

      expect(retry.status).toBe(409);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(await balance(5)).toBe(0);
    });

    it('404 ORDER_NOT_FOUND on a keyed payment is replayed too', async () => {
      const pay = () =>
        request(t.baseUrl)
          .post('/api/v1/orders/424242/payment')
          .set(t.auth(5))
          .set('Idempotency-Key', 'no-such-order');
      const first = await pay();
      expectErrorBody(first, 404, 'ORDER_NOT_FOUND');
      const again = await pay();
      expect([again.status, again.headers['idempotent-replayed']]).toEqual([404, 'true']);
      expect(again.body).toEqual(first.body);
    });
  });

  describe('a request refused before it ran does not use up its key', () => {
    it('after a 400, the same key runs a corrected request', async () => {
      expectValidationError(await charge(5, 0, 'fix-me'), 'amount');
      const res = await charge(5, 100, 'fix-me');
      expect(res.status).toBe(200);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      expect(await balance(5)).toBe(100);
    });

    it('after a 403, the key is still free for its owner', async () => {
      expectErrorBody(await charge(5, 100, 'k', t.auth(6)), 403, 'FORBIDDEN');
      const own = await charge(5, 100, 'k');
      expect(own.status).toBe(200);
      expect(own.headers['idempotent-replayed']).toBeUndefined();
      expect(
        (await t.dataSource.query('SELECT user_id FROM idempotency_keys')).map(
          (r: { user_id: number }) => Number(r.user_id),
        ),
      ).toEqual([5]);
    });

    it('and leaves no record behind', async () => {
      await charge(5, -1, 'gone').expect(400);
      expect(await t.dataSource.query('SELECT id FROM idempotency_keys')).toEqual([]);
    });
  });

  it('forgets a key after its 24 hours: the same key then does the work again', async () => {
    await charge(5, 100, 'old').expect(200);
    await t.dataSource.query('UPDATE idempotency_keys SET expires_at = ? WHERE idem_key = ?', [
      new Date(Date.now() - 1_000),
      'old',
    ]);
    const res = await charge(5, 100, 'old');
    expect(res.status).toBe(200);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(await balance(5)).toBe(200);
  });

  describe('the key itself', () => {
    it('accepts 1 and 100 printable characters', async () => {
      await charge(5, 1, 'x').expect(200);
      await charge(5, 1, `${'k'.repeat(99)}~`).expect(200);
      await charge(5, 1, '!#$%&*+-./0:;<=>?@[]^_`{|}').expect(200);
      expect(await balance(5)).toBe(3);
    });

    it.each([
      ['101 characters', 'k'.repeat(101)],
      ['non-ASCII', 'cl\u00e9'],
      ['a tab', 'a\tb'],
    ])('rejects %s with 400 naming the header, doing nothing', async (_label, key) => {
      const res = await charge(5, 1, key);
      expectValidationError(res, 'Idempotency-Key');
      expect(await balance(5)).toBe(0);
    });

    it('rejects an empty key with 400', async () => {
      const res = await request(t.baseUrl)
        .post('/api/v1/users/5/balance/charge')
        .set(t.auth(5))
        .set('Idempotency-Key', '')
        .send({ amount: 1 });
      expectValidationError(res, 'Idempotency-Key');
      expect(await balance(5)).toBe(0);
    });
  });

  it('needs a valid token before anything else (401, no record)', async () => {
    const res = await request(t.baseUrl)
      .post('/api/v1/users/5/balance/charge')
      .set('Idempotency-Key', 'anon')
      .send({ amount: 1 });
    expectErrorBody(res, 401, 'UNAUTHORIZED');
    expect(await t.dataSource.query('SELECT id FROM idempotency_keys')).toEqual([]);
  });
});
