import { AddressInfo, connect, createServer, Socket } from 'node:net';
import request from 'supertest';
import { databaseServerFromEnv } from '../support/database-server';
import { expectErrorBody } from '../support/error-assertions';
import { startTestApp, TestApp } from '../support/test-app';
import { useTestApp } from '../support/use-test-app';

interface OpenApiOperation {
  security?: Array<Record<string, unknown>>;
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}
interface OpenApiDocument {
  openapi: string;
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    securitySchemes: Record<string, { type: string; scheme: string }>;
    schemas: Record<string, unknown>;
  };
}

/** A TCP relay to the database server that the test can cut, as a network failure would. */
async function startDatabaseRelay(): Promise<{
  port: number;
  cut(): void;
  close(): Promise<void>;
}> {
  const target = databaseServerFromEnv();
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cut: () => {
      server.close();
      for (const socket of sockets) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) =>
        server.listening ? server.close(() => resolve()) : resolve(),
      ),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('operations: health, docs, headers, rate limit', () => {
  const t = useTestApp();

  const api = () => request(t.baseUrl);

  describe('GET /health', () => {
    it('is public, outside the API prefix, and says ok while the database answers', async () => {
      const res = await api().get('/health').expect(200);
      expect(res.body).toMatchObject({ status: 'ok' });
      expectErrorBody(await api().get('/api/v1/health'), 404, 'NOT_FOUND');
    });

    it('answers 503 SERVICE_UNAVAILABLE in the standard body when the database is unreachable, as do data routes', async () => {
      const relay = await startDatabaseRelay();
      const down = await startTestApp({
        DB_HOST: '127.0.0.1',
        DB_PORT: String(relay.port),
        DB_CONNECT_TIMEOUT_MS: '500',
      });
      // TypeORM prints failed queries on the console; keep the test output quiet.
      const quiet = jest.spyOn(console, 'log').mockImplementation(() => undefined);
      try {
        await request(down.baseUrl).get('/health').expect(200);
        relay.cut();

        const health = await request(down.baseUrl).get('/health');
        expectErrorBody(health, 503, 'SERVICE_UNAVAILABLE', '/health');
        expect(health.headers['retry-after']).toBeDefined();

        const list = await request(down.baseUrl).get('/api/v1/products');
        expectErrorBody(list, 503, 'SERVICE_UNAVAILABLE', '/api/v1/products');
        const product = await request(down.baseUrl).get('/api/v1/products/1');
        expectErrorBody(product, 503, 'SERVICE_UNAVAILABLE');
        const balance = await request(down.baseUrl)
          .get('/api/v1/users/1/balance')
          .set(down.auth(1));
        expectErrorBody(balance, 503, 'SERVICE_UNAVAILABLE');
        const charge = await request(down.baseUrl)
          .post('/api/v1/users/1/balance/charge')
          .set(down.auth(1))
          .set('Idempotency-Key', 'while-down')
          .send({ amount: 1 });
        expectErrorBody(charge, 503, 'SERVICE_UNAVAILABLE');
      } finally {
        quiet.mockRestore();
        await down.close().catch(() => undefined);
        await relay.close();
      }
      // Nothing reached the database while it was away.
      expect(await t.dataSource.query('SELECT * FROM balances')).toEqual([]);
    });
  });

  describe('Swagger', () => {
    let doc: OpenApiDocument;

    beforeAll(async () => {
      const res = await request(t.baseUrl).get('/docs-json').expect(200);
      expect(res.headers['content-type']).toMatch(/json/);
      doc = res.body as OpenApiDocument;
    });

    it('serves the UI at /docs', async () => {
      const res = await api().get('/docs').redirects(2);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toMatch(/swagger/i);
    });

    it('has a relative server URL, so "Try it out" works on any host', () => {
      expect(doc.openapi).toMatch(/^3\./);
      expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    });

    it('declares bearer JWT auth', () => {
      const schemes = Object.values(doc.components.securitySchemes);
      expect(schemes).toEqual(
        expect.arrayContaining([expect.objectContaining({ type: 'http', scheme: 'bearer' })]),
      );
    });

    it('describes every route of products, balance and health', () => {
      const expected: Array<[string, string]> = [
        ['/api/v1/products', 'get'],
        ['/api/v1/products', 'post'],
        ['/api/v1/products/{id}', 'get'],
        ['/api/v1/products/{id}/stock', 'post'],
        ['/api/v1/users/{userId}/balance', 'get'],
        ['/api/v1/users/{userId}/balance/charge', 'post'],
        ['/api/v1/users/{userId}/balance/history', 'get'],
        ['/health', 'get'],
      ];
      for (const [path, method] of expected) {
        expect({ path, method, described: Boolean(doc.paths[path]?.[method]) }).toEqual({
          path,
          method,
          described: true,
        });
      }
    });

    it('marks protected routes with bearer security and leaves public ones open', () => {
      const secured = (path: string, method: string) =>
        (doc.paths[path][method].security ?? []).length > 0;
      expect(secured('/api/v1/users/{userId}/balance', 'get')).toBe(true);
      expect(secured('/api/v1/users/{userId}/balance/charge', 'post')).toBe(true);
      expect(secured('/api/v1/users/{userId}/balance/history', 'get')).toBe(true);
      expect(secured('/api/v1/products', 'post')).toBe(true);
      expect(secured('/api/v1/products/{id}/stock', 'post')).toBe(true);
      expect(secured('/api/v1/products', 'get')).toBe(false);
      expect(secured('/api/v1/products/{id}', 'get')).toBe(false);
      expect(secured('/health', 'get')).toBe(false);
    });

    it('documents the statuses of the contract with the error body', () => {
      const responses = (path: string, method: string) => doc.paths[path][method].responses;
      expect(Object.keys(responses('/api/v1/products', 'post'))).toEqual(
        expect.arrayContaining(['201', '400', '401', '403']),
      );
      expect(Object.keys(responses('/api/v1/products/{id}', 'get'))).toEqual(
        expect.arrayContaining(['200', '400', '404']),
      );
      expect(Object.keys(responses('/api/v1/products/{id}/stock', 'post'))).toEqual(
        expect.arrayContaining(['200', '400', '401', '403', '404']),
      );
      expect(Object.keys(responses('/api/v1/users/{userId}/balance/charge', 'post'))).toEqual(
        expect.arrayContaining(['200', '400', '401', '403', '409', '422']),
      );
      expect(Object.keys(responses('/health', 'get'))).toEqual(
        expect.arrayContaining(['200', '503']),
      );
      const notFound = responses('/api/v1/products/{id}', 'get')['404'];
      // The ErrorResponse body, narrowed to this answer's codes (see test/e2e/openapi.e2e-spec.ts).
      const schema = notFound.content?.['application/json']?.schema as {
        allOf?: Array<{ $ref?: string }>;
      };
      expect(schema?.allOf?.[0]?.$ref).toMatch(/ErrorResponse/);
      expect(doc.components.schemas).toHaveProperty('ErrorResponse');
    });

    it('documents the path ids, paging query and the Idempotency-Key header', () => {
      const params = (path: string, method: string) => doc.paths[path][method].parameters ?? [];
      expect(params('/api/v1/products/{id}', 'get')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'id', in: 'path', required: true }),
        ]),
      );
      expect(params('/api/v1/products', 'get').map((p) => p.name)).toEqual(
        expect.arrayContaining(['page', 'size']),
      );
      expect(params('/api/v1/users/{userId}/balance/charge', 'post')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'userId', in: 'path' }),
          expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }),
        ]),
      );
    });
  });

  describe('headers', () => {
    const securityHeaders = (res: request.Response) => {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(res.headers['x-powered-by']).toBeUndefined();
    };

    it('sets the helmet security headers on answers and on errors', async () => {
      securityHeaders(await api().get('/api/v1/products').expect(200));
      securityHeaders(await api().get('/health').expect(200));
      securityHeaders(await api().get('/api/v1/nope').expect(404));
      securityHeaders(await api().get('/api/v1/users/1/balance').expect(401));
      securityHeaders(
        await api()
          .post('/api/v1/users/1/balance/charge')
          .set(t.auth(1))
          .set('Content-Type', 'text/plain')
          .send('x')
          .expect(415),
      );
      securityHeaders(await api().get('/docs-json').expect(200));
    });

    it('echoes a client x-request-id', async () => {
      const res = await api().get('/api/v1/products').set('x-request-id', 'trace-abc-123');
      expect(res.headers['x-request-id']).toBe('trace-abc-123');
      const error = await api().get('/api/v1/products/0').set('x-request-id', 'trace-err-9');
      expect(error.status).toBe(400);
      expect(error.headers['x-request-id']).toBe('trace-err-9');
    });

    it('gives each request a fresh UUID when the client sends none', async () => {
      const [a, b] = await Promise.all([api().get('/health'), api().get('/api/v1/nope')]);
      expect(a.headers['x-request-id']).toMatch(UUID);
      expect(b.headers['x-request-id']).toMatch(UUID);
      expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    });
  });

  describe('rate limit (RATE_LIMIT_PER_MINUTE=3, DOCS_ENABLED=false)', () => {
    let limited: TestApp;

    beforeAll(async () => {
      limited = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3', DOCS_ENABLED: 'false' });
    });
    afterAll(() => limited.close());

    const get = (path: string, userId?: number) => {
      const req = request(limited.baseUrl).get(path);
      return userId === undefined ? req : req.set(limited.auth(userId));
    };

    it('answers the 4th request of a user within a minute with 429 TOO_MANY_REQUESTS in the standard body', async () => {
      for (let i = 0; i < 3; i++) await get('/api/v1/users/11/balance', 11).expect(200);
      const res = await get('/api/v1/users/11/balance', 11);
      expectErrorBody(res, 429, 'TOO_MANY_REQUESTS', '/api/v1/users/11/balance');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('keys the limit per user: another user from the same address is not limited', async () => {
      for (let i = 0; i < 4; i++) await get('/api/v1/users/12/balance', 12);
      await get('/api/v1/users/13/balance', 13).expect(200);
    });

    it('counts a user across routes, not per route', async () => {
      await get('/api/v1/products', 14).expect(200);
      await get('/api/v1/users/14/balance', 14).expect(200);
      await get('/api/v1/users/14/balance/history', 14).expect(200);
      expectErrorBody(await get('/api/v1/products/1', 14), 429, 'TOO_MANY_REQUESTS');
    });

    it('limits anonymous callers by address, and a failed login does not escape the limit', async () => {
      await get('/api/v1/products').expect(200);
      await get('/api/v1/products').expect(200);
      await request(limited.baseUrl)
        .get('/api/v1/users/1/balance')
        .set('Authorization', 'Bearer bad')
        .expect(401);
      expectErrorBody(await get('/api/v1/products'), 429, 'TOO_MANY_REQUESTS');
      expectErrorBody(
        await request(limited.baseUrl)
          .get('/api/v1/users/1/balance')
          .set('Authorization', 'Bearer bad'),
        429,
        'TOO_MANY_REQUESTS',
      );
      // A user with a valid token from the same address still has their own budget.
      await get('/api/v1/products', 15).expect(200);
    });

    it('turns the docs off with DOCS_ENABLED=false', async () => {
      expect((await request(limited.baseUrl).get('/docs-json')).status).toBe(404);
      expect((await request(limited.baseUrl).get('/docs')).status).toBe(404);
    });

    it('is off with RATE_LIMIT_PER_MINUTE=0 (the default app of this file)', async () => {
      const statuses = await Promise.all(
        Array.from({ length: 30 }, () => request(t.baseUrl).get('/api/v1/products')),
      );
      expect(statuses.every((r) => r.status === 200)).toBe(true);
    });
  });
});
