import request from 'supertest';
import {
  expectErrorBody,
  expectNoInternals,
  expectValidationError,
} from '../support/error-assertions';
import { useTestApp } from '../support/use-test-app';

describe('validation and the error body (HTTP contract)', () => {
  const t = useTestApp();

  const api = () => request(t.baseUrl);
  const CHARGE = '/api/v1/users/5/balance/charge';
  const postRaw = (path: string, body: string | Buffer, contentType?: string) => {
    const req = api()
      .post(path)
      .set(t.auth(5, { admin: true }));
    if (contentType !== undefined) void req.set('Content-Type', contentType);
    return req.send(body);
  };
  const balanceRows = () => t.dataSource.query('SELECT user_id, amount FROM balances');
  const historyRows = () => t.dataSource.query('SELECT id FROM balance_history');

  describe('body validation: 400 VALIDATION_FAILED with details [{field, reason}]', () => {
    it('names every bad field with a readable reason', async () => {
      const res = await api()
        .post('/api/v1/products')
        .set(t.auth(1, { admin: true }))
        .send({ name: 7, price: 'ten', stock: -1, colour: 'red' });
      expectValidationError(res, 'name', 'price', 'stock', 'colour');
      for (const detail of res.body.details) {
        expect(detail.reason.length).toBeGreaterThan(3);
      }
      expect(res.body.details.find((d: { field: string }) => d.field === 'colour').reason).toMatch(
        /colour/,
      );
    });

    it.each([
      ['an unknown field', { amount: 1, extra: 1 }, 'extra'],
      ['a nested unknown field', { amount: 1, meta: { a: 1 } }, 'meta'],
      ['a number as a string', { amount: '100' }, 'amount'],
      ['a numeric string with spaces', { amount: ' 100 ' }, 'amount'],
      ['1e20', { amount: 1e20 }, 'amount'],
      ['a fraction', { amount: 0.5 }, 'amount'],
      ['a negative number', { amount: -1 }, 'amount'],
      ['null', { amount: null }, 'amount'],
      ['a missing field', {}, 'amount'],
      ['an array in place of a value', { amount: [1] }, 'amount'],
      ['an object in place of a value', { amount: { n: 1 } }, 'amount'],
      ['a boolean', { amount: false }, 'amount'],
    ])('%s', async (_label, body, field) => {
      const res = await api().post(CHARGE).set(t.auth(5)).send(body);
      expectValidationError(res, field);
      expect(res.body.path).toBe(CHARGE);
    });

    it.each([
      ['a JSON array body', '[{"amount":100}]'],
      ['a JSON string body', '"amount"'],
      ['a JSON number body', '100'],
      ['a JSON null body', 'null'],
      ['a JSON true body', 'true'],
    ])('rejects %s with 400', async (_label, raw) => {
      const res = await postRaw(CHARGE, raw, 'application/json');
      expectErrorBody(res, 400, 'VALIDATION_FAILED', CHARGE);
    });

    it('rejects a __proto__ key with 400 and does not pollute anything', async () => {
      const res = await postRaw(
        CHARGE,
        '{"amount":100,"__proto__":{"isAdmin":true}}',
        'application/json',
      );
      expectErrorBody(res, 400, 'VALIDATION_FAILED', CHARGE);
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    });

    it('rejects a constructor.prototype key with 400', async () => {
      const res = await postRaw(
        CHARGE,
        '{"amount":100,"constructor":{"prototype":{"x":1}}}',
        'application/json',
      );
      expectErrorBody(res, 400, 'VALIDATION_FAILED', CHARGE);
    });

    it.each([
      ['arrays', (n: number) => `{"amount":1,"x":${'['.repeat(n)}${']'.repeat(n)}}`],
      ['objects', (n: number) => `{"amount":1,"x":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`],
    ])('rejects a small but deeply nested body (%s) with 400, not a 500', async (_label, build) => {
      const raw = build(9_000);
      expect(raw.length).toBeLessThan(64 * 1024);
      for (const res of [
        await postRaw(CHARGE, raw, 'application/json'),
        await api()
          .post(CHARGE)
          .set(t.auth(5))
          .set('Idempotency-Key', 'deep')
          .set('Content-Type', 'application/json')
          .send(raw),
        await postRaw('/api/v1/products', raw, 'application/json'),
      ]) {
        expectValidationError(res, 'body');
      }
      expect(await balanceRows()).toEqual([]);
    });

    it('still names an unknown field that is nested a few levels deep', async () => {
      const res = await api()
        .post(CHARGE)
        .set(t.auth(5))
        .send({ amount: 1, meta: { a: { b: { c: [1] } } } });
      expectValidationError(res, 'meta');
    });

    it('rejects a POST without any body with 400 naming the missing field', async () => {
      const res = await api().post(CHARGE).set(t.auth(5));
      expectValidationError(res, 'amount');
    });
  });

  describe('malformed requests, in the standard body', () => {
    it.each([
      ['truncated JSON', '{"amount": 1'],
      ['a trailing comma', '{"amount": 1,}'],
      ['single quotes', "{'amount': 1}"],
      ['not JSON at all', 'amount=1'],
      ['NaN', '{"amount": NaN}'],
    ])('%s → 400 VALIDATION_FAILED', async (_label, raw) => {
      const res = await postRaw(CHARGE, raw, 'application/json');
      expectErrorBody(res, 400, 'VALIDATION_FAILED', CHARGE);
      expect(res.body.message).not.toContain('Unexpected token');
    });

    it('an empty body sent as JSON → 400', async () => {
      const res = await postRaw(CHARGE, '', 'application/json');
      expectErrorBody(res, 400, 'VALIDATION_FAILED', CHARGE);
    });

    it.each([
      ['text/plain', '{"amount":1}'],
      ['application/x-www-form-urlencoded', 'amount=1'],
      ['application/xml', '<amount>1</amount>'],
      [
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Disposition: form-data; name="amount"\r\n\r\n1\r\n--x--',
      ],
    ])('Content-Type %s → 415 UNSUPPORTED_MEDIA_TYPE', async (contentType, raw) => {
      const res = await postRaw(CHARGE, raw, contentType);
      expectErrorBody(res, 415, 'UNSUPPORTED_MEDIA_TYPE', CHARGE);
    });

    it('JSON with a charset parameter is accepted', async () => {
      const res = await postRaw(CHARGE, '{"amount":10}', 'application/json; charset=utf-8');
      expect(res.status).toBe(200);
    });

    it('a body over 64 KiB → 413 PAYLOAD_TOO_LARGE, and nothing is written', async () => {
      const raw = JSON.stringify({ amount: 10, padding: 'x'.repeat(70 * 1024) });
      const res = await postRaw(CHARGE, raw, 'application/json');
      expectErrorBody(res, 413, 'PAYLOAD_TOO_LARGE', CHARGE);
      expect(await balanceRows()).toEqual([]);
    });

    it('a body just under 64 KiB reaches validation (400 for the unknown field, not 413)', async () => {
      const raw = JSON.stringify({ amount: 10, padding: 'x'.repeat(60 * 1024) });
      const res = await postRaw(CHARGE, raw, 'application/json');
      expectValidationError(res, 'padding');
    });

    it('a path parameter with broken percent-encoding → 400 in the standard body', async () => {
      const res = await api().get('/api/v1/products/%zz');
      expectErrorBody(res, 400, 'VALIDATION_FAILED', '/api/v1/products/%zz');
      expect(res.headers['x-request-id']).toEqual(expect.any(String));
    });

    it('a very long path parameter → 400 in the standard body', async () => {
      const res = await api().get(`/api/v1/products/${'1'.repeat(300)}`);
      expectErrorBody(res, 400, 'VALIDATION_FAILED');
      expect(res.body.message).toBe('A path parameter is too long');
    });
  });

  describe('404', () => {
    it.each([
      ['GET', '/api/v1/nope'],
      ['GET', '/nope'],
      ['GET', '/api/v2/products'],
      ['GET', '/api/v1/products/1/nothing'],
      ['DELETE', '/api/v1/products/1'],
      ['PUT', '/api/v1/users/5/balance'],
      ['POST', '/api/v1/users/5/balance'],
    ])('%s %s → 404 NOT_FOUND in the standard body', async (method, path) => {
      const res = await api()[method.toLowerCase() as 'get'](path).set(t.auth(5));
      expectErrorBody(res, 404, 'NOT_FOUND', path);
    });

    it('keeps the query string out of the path and does not echo the route in the message', async () => {
      const res = await api().get('/api/v1/<script>alert(1)</script>?token=secret');
      expectErrorBody(res, 404, 'NOT_FOUND');
      expect(res.body.message).not.toContain('<script>');
      expect(JSON.stringify(res.body)).not.toContain('secret');
    });

    it('answers PRODUCT_NOT_FOUND for a product that does not exist', async () => {
      expectErrorBody(
        await api().get('/api/v1/products/31337'),
        404,
        'PRODUCT_NOT_FOUND',
        '/api/v1/products/31337',
      );
    });
  });

  describe('unexpected failures → 500 INTERNAL_ERROR, nothing leaked, nothing half-written', () => {
    async function withTableRenamed<T>(table: string, work: () => Promise<T>): Promise<T> {
      // TypeORM prints failed queries on the console; keep the test output quiet.
      const quiet = jest.spyOn(console, 'log').mockImplementation(() => undefined);
      await t.dataSource.query(`RENAME TABLE ${table} TO ${table}_away`);
      try {
        return await work();
      } finally {
        await t.dataSource.query(`RENAME TABLE ${table}_away TO ${table}`);
        quiet.mockRestore();
      }
    }

    it('a failing read is a 500 without SQL, driver or stack text', async () => {
      const res = await withTableRenamed('products', () => api().get('/api/v1/products'));
      expectErrorBody(res, 500, 'INTERNAL_ERROR', '/api/v1/products');
      expect(res.body.message).toBe('An unexpected error occurred');
      expect(res.body.message).not.toMatch(/products|doesn't exist|Table/);
    });

    it('a write that fails half-way rolls back: the balance is not changed without its ledger entry', async () => {
      await api().post(CHARGE).set(t.auth(5)).send({ amount: 100 }).expect(200);

      const res = await withTableRenamed('balance_history', () =>
        api().post(CHARGE).set(t.auth(5)).send({ amount: 50 }),
      );

      expectErrorBody(res, 500, 'INTERNAL_ERROR', CHARGE);
      expect(await balanceRows()).toEqual([{ user_id: 5, amount: 100 }]);
      expect(await historyRows()).toHaveLength(1);
      const after = await api().get('/api/v1/users/5/balance').set(t.auth(5)).expect(200);
      expect(after.body.balance).toBe(100);
    });
  });

  describe('every error has the standard body and leaks nothing', () => {
    it('across a mix of failures', async () => {
      const responses = await Promise.all([
        api().get('/api/v1/products/0'),
        api().get('/api/v1/products?size=1000'),
        api().get('/api/v1/users/5/balance'),
        api().get('/api/v1/users/5/balance').set(t.auth(6)),
        api().post(CHARGE).set(t.auth(5)).send({ amount: 'lots' }),
        postRaw(CHARGE, '{', 'application/json'),
        postRaw(CHARGE, 'x', 'text/plain'),
        api().get('/api/v1/does-not-exist'),
      ]);
      expect(responses.map((r) => r.status)).toEqual([400, 400, 401, 403, 400, 400, 415, 404]);
      for (const res of responses) {
        expectErrorBody(res, res.status, res.body.code);
        expectNoInternals(res.text);
        expect(res.text).not.toMatch(/"stack"|"error":/);
      }
      expect(await balanceRows()).toEqual([]);
    });
  });
});
