import request, { Response } from 'supertest';
import { TEST_JWT_SECRET } from '../support/test-config';
import { expectErrorBody } from '../support/error-assertions';
import { insertProduct } from '../support/fixtures';
import { TestApp } from '../support/test-app';
import { useTestApp } from '../support/use-test-app';

const VITE = 'http://127.0.0.1:5173';
const SHOP = 'https://shop.example.com';
const STRANGER = 'https://evil.example';

const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'GET, HEAD, POST, PUT, DELETE',
  'access-control-allow-headers':
    'Authorization, Content-Type, Idempotency-Key, X-Request-Id, If-None-Match',
  'access-control-max-age': '600',
};
const EXPOSED =
  'ETag, X-Request-Id, Idempotent-Replayed, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset';

/** What a browser sends before a POST with a token, a JSON body and an Idempotency-Key. */
function preflight(t: TestApp, origin: string, path = '/api/v1/users/1/balance/charge') {
  return request(t.baseUrl)
    .options(path)
    .set('origin', origin)
    .set('access-control-request-method', 'POST')
    .set('access-control-request-headers', 'authorization,content-type,idempotency-key');
}

function corsHeadersOf(res: Response): Record<string, string> {
  return Object.fromEntries(
    Object.entries(res.headers).filter(([name]) => name.startsWith('access-control-')),
  ) as Record<string, string>;
}

function varyOf(res: Response): string[] {
  return String(res.headers.vary ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
}

function expectAllowedPreflight(res: Response, origin: string): void {
  expect(res.status).toBe(204);
  expect(res.text).toBe('');
  expect(corsHeadersOf(res)).toEqual({
    'access-control-allow-origin': origin,
    'access-control-expose-headers': EXPOSED,
    ...PREFLIGHT_HEADERS,
  });
  expect(res.headers['x-request-id']).toEqual(expect.any(String));
}

/** A refused origin's preflight: no CORS header at all, the 404 of any unknown route. */
function expectRefusedPreflight(res: Response): void {
  expectErrorBody(res, 404, 'NOT_FOUND');
  expect(corsHeadersOf(res)).toEqual({});
  expect(varyOf(res)).toContain('origin');
}

describe('CORS: browsers on other origins', () => {
  describe('outside production with CORS_ORIGINS unset (the development default)', () => {
    const t = useTestApp({ env: { RATE_LIMIT_PER_MINUTE: '3' }, reset: 'once' });

    it.each([VITE, 'http://localhost:3001', 'http://localhost'])(
      'answers a preflight from %s with 204, the methods, the request headers and Max-Age 600',
      async (origin) => {
        const res = await preflight(t, origin);
        expectAllowedPreflight(res, origin);
        expect(varyOf(res)).toContain('origin');
      },
    );

    it.each([STRANGER, 'https://localhost:5173', 'http://localhost.evil.example', 'null'])(
      'refuses a preflight from %s: no CORS header, Vary: Origin',
      async (origin) => expectRefusedPreflight(await preflight(t, origin)),
    );

    it('answers a preflight before the guards: no token, no rate-limit budget used, no body check', async () => {
      // Budget 3 a minute per address: ten preflights, then three real requests still pass.
      for (let i = 0; i < 10; i += 1) {
        expectAllowedPreflight(await preflight(t, VITE).send('{"x":1}'), VITE);
      }
      for (let i = 0; i < 3; i += 1) {
        await request(t.baseUrl).get('/api/v1/products').set('origin', VITE).expect(200);
      }
      const limited = await request(t.baseUrl).get('/api/v1/products').set('origin', VITE);
      expectErrorBody(limited, 429, 'TOO_MANY_REQUESTS');
      // The browser can read the refusal and when to retry.
      expect(limited.headers['access-control-allow-origin']).toBe(VITE);
      expect(limited.headers['retry-after']).toEqual(expect.any(String));
      expect(limited.headers['access-control-expose-headers']).toContain('Retry-After');
    });
  });

  describe('an allowed request', () => {
    const t = useTestApp({
      env: { CORS_ORIGINS: `${SHOP}, ${VITE}`, RATE_LIMIT_PER_MINUTE: '1000' },
      reset: 'once',
    });
    let productId: number;

    beforeAll(async () => {
      productId = await insertProduct(t.dataSource, 89_000, 5);
    });

    it('exposes the headers a client reads, and the answer is the one any caller gets', async () => {
      const plain = await request(t.baseUrl).get(`/api/v1/products/${productId}`).expect(200);
      const res = await request(t.baseUrl)
        .get(`/api/v1/products/${productId}`)
        .set('origin', SHOP)
        .expect(200);

      expect(corsHeadersOf(res)).toEqual({
        'access-control-allow-origin': SHOP,
        'access-control-expose-headers': EXPOSED,
      });
      expect(varyOf(res)).toContain('origin');
      expect(res.body).toEqual(plain.body);
      expect(res.headers['x-ratelimit-limit']).toBe('1000');
      expect(res.headers['x-ratelimit-remaining']).toEqual(expect.any(String));
      expect(res.headers['x-ratelimit-reset']).toEqual(expect.any(String));
      // No Origin (curl, a server): no CORS header, same answer, still Vary: Origin.
      expect(corsHeadersOf(plain)).toEqual({});
      expect(varyOf(plain)).toContain('origin');
    });

    it('marks a replayed idempotent answer with a header the page may read', async () => {
      const charge = () =>
        request(t.baseUrl)
          .post('/api/v1/users/7/balance/charge')
          .set(t.auth(7))
          .set('origin', VITE)
          .set('idempotency-key', 'cors-replay-1')
          .send({ amount: 1_000 })
          .expect(200);
      await charge();
      const replay = await charge();
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.headers['access-control-allow-origin']).toBe(VITE);
      expect(replay.headers['access-control-expose-headers']).toContain('Idempotent-Replayed');
    });

    it('carries the CORS headers on errors too, so the page can read the error body', async () => {
      const unauthorized = await request(t.baseUrl)
        .get('/api/v1/users/1/balance')
        .set('origin', SHOP);
      expectErrorBody(unauthorized, 401, 'UNAUTHORIZED');
      expect(unauthorized.headers['access-control-allow-origin']).toBe(SHOP);

      const unknown = await request(t.baseUrl).get('/api/v1/nowhere').set('origin', SHOP);
      expectErrorBody(unknown, 404, 'NOT_FOUND');
      expect(unknown.headers['access-control-allow-origin']).toBe(SHOP);
    });

    it('refuses an origin not in the list (the list replaces the localhost default)', async () => {
      expectRefusedPreflight(await preflight(t, 'http://localhost:3001'));
      const res = await request(t.baseUrl)
        .get(`/api/v1/products/${productId}`)
        .set('origin', STRANGER)
        .expect(200);
      expect(corsHeadersOf(res)).toEqual({});
      expect(varyOf(res)).toContain('origin');
    });

    it('keeps the security headers and X-Request-Id on a preflight', async () => {
      const res = await preflight(t, SHOP).set('x-request-id', 'cors-pre-1');
      expectAllowedPreflight(res, SHOP);
      expect(res.headers['x-request-id']).toBe('cors-pre-1');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    });
  });

  describe('CORS_ORIGINS=*', () => {
    const t = useTestApp({ env: { CORS_ORIGINS: '*' }, reset: 'never' });

    it('allows any origin with Access-Control-Allow-Origin: *', async () => {
      const pre = await preflight(t, STRANGER);
      expectAllowedPreflight(pre, '*');

      const res = await request(t.baseUrl).get('/api/v1/products').set('origin', STRANGER);
      expect(res.status).toBe(200);
      expect(corsHeadersOf(res)).toEqual({
        'access-control-allow-origin': '*',
        'access-control-expose-headers': EXPOSED,
      });
    });
  });

  describe('NODE_ENV=production with CORS_ORIGINS unset', () => {
    const t = useTestApp({
      env: { NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET },
      reset: 'never',
    });

    it('allows no origin, localhost included', async () => {
      for (const origin of [VITE, 'http://localhost:3000', SHOP]) {
        expectRefusedPreflight(await preflight(t, origin));
        const res = await request(t.baseUrl).get('/api/v1/products').set('origin', origin);
        expect(res.status).toBe(200);
        expect(corsHeadersOf(res)).toEqual({});
      }
    });
  });
});
