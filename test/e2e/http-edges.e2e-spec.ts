import request from 'supertest';
import { expectErrorBody } from '../support/error-assertions';
import { insertProduct, setBalance } from '../support/fixtures';
import { useTestApp } from '../support/use-test-app';

/** What real HTTP clients do at the edges: empty JSON bodies, odd request ids, CSP over HTTP. */
describe('HTTP edges', () => {
  const t = useTestApp();

  it('accepts an empty body sent as application/json on a body-less POST (payment)', async () => {
    const productId = await insertProduct(t.dataSource, 1_000, 5);
    await setBalance(t.dataSource, 1, 5_000);
    const order = await request(t.baseUrl)
      .post('/api/v1/orders')
      .set(t.auth(1))
      .send({ userId: 1, items: [{ productId, quantity: 1 }] })
      .expect(201);

    const paid = await request(t.baseUrl)
      .post(`/api/v1/orders/${order.body.id}/payment`)
      .set(t.auth(1))
      .set('content-type', 'application/json')
      .send('');

    expect(paid.status).toBe(200);
    expect(paid.body.status).toBe('PAID');
  });

  it('an empty JSON body where a body is required is a 400 naming the missing fields', async () => {
    const response = await request(t.baseUrl)
      .post('/api/v1/users/1/balance/charge')
      .set(t.auth(1))
      .set('content-type', 'application/json')
      .send('');

    expectErrorBody(response, 400, 'VALIDATION_FAILED');
    expect(response.body.details).toEqual([
      { field: 'amount', reason: expect.stringContaining('integer') },
    ]);
  });

  it('reports the basic failure of a field: a string amount "must be an integer", not a range', async () => {
    const response = await request(t.baseUrl)
      .post('/api/v1/users/1/balance/charge')
      .set(t.auth(1))
      .send({ amount: '5' });

    expectErrorBody(response, 400, 'VALIDATION_FAILED');
    expect(response.body.details).toEqual([
      { field: 'amount', reason: 'amount must be an integer number' },
    ]);
  });

  it('a body the JSON parser refuses (a nested __proto__ key) is a 400 whose details name the body', async () => {
    // The counterexample fast-check found (seed 662363111): the parser's refusal had no details.
    const response = await request(t.baseUrl)
      .post('/api/v1/orders')
      .set(t.auth(1))
      .set('content-type', 'application/json')
      .send('{"userId":1,"items":[{"productId":1,"quantity":1}],"x_ ":{"__proto__":false}}');

    expectErrorBody(response, 400, 'VALIDATION_FAILED');
    expect(response.body.details).toEqual([{ field: 'body', reason: expect.any(String) }]);
  });

  it('keeps a plain client X-Request-Id and replaces an unsafe one', async () => {
    const plain = await request(t.baseUrl).get('/health').set('x-request-id', 'abc-123.X:7');
    expect(plain.headers['x-request-id']).toBe('abc-123.X:7');

    const unsafe = await request(t.baseUrl)
      .get('/health')
      .set('x-request-id', `<script>${'x'.repeat(100)}`);
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('does not ask browsers to upgrade Swagger UI requests to https', async () => {
    const docs = await request(t.baseUrl).get('/docs');
    expect(docs.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('accepts an Idempotency-Key with spaces (printable characters)', async () => {
    const send = () =>
      request(t.baseUrl)
        .post('/api/v1/users/1/balance/charge')
        .set(t.auth(1))
        .set('Idempotency-Key', 'charge 2026-11-25 #1')
        .send({ amount: 100 });

    expect((await send()).status).toBe(200);
    const replay = await send();
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });
});
