import { Writable } from 'node:stream';
import request from 'supertest';
import { expectErrorBody } from '../support/error-assertions';
import { eventually } from '../support/fake-data-platform';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Behind a load balancer every request comes from the balancer's address. With TRUST_PROXY the
 * client address (rate limiting by address, the request log) comes from X-Forwarded-For, as far
 * as the proxies are trusted; without it, X-Forwarded-For is ignored (a client could forge it).
 */
describe('TRUST_PROXY: the client address behind a load balancer (HTTP contract)', () => {
  const LIMIT = 3;
  const apps: TestApp[] = [];
  const start = async (trustProxy?: string, logTo?: Writable) => {
    const env: Record<string, string> = { RATE_LIMIT_PER_MINUTE: String(LIMIT) };
    if (trustProxy !== undefined) env.TRUST_PROXY = trustProxy;
    if (logTo) env.LOG_LEVEL = 'info';
    const app = await startTestApp(env, { logTo });
    apps.push(app);
    return app;
  };
  afterAll(() => Promise.all(apps.map((app) => app.close())));

  /** Anonymous requests said to come from `client`, until one is limited: how many passed. */
  async function passedFor(app: TestApp, client: string): Promise<number> {
    for (let passed = 0; passed <= LIMIT; passed++) {
      const res = await request(app.baseUrl).get('/api/v1/products').set('X-Forwarded-For', client);
      if (res.status === 429) {
        expectErrorBody(res, 429, 'TOO_MANY_REQUESTS', '/api/v1/products');
        return passed;
      }
      expect(res.status).toBe(200);
    }
    return LIMIT + 1;
  }

  it('off by default: X-Forwarded-For is ignored, every anonymous client shares the peer address', async () => {
    const app = await start();
    expect(await passedFor(app, '203.0.113.1')).toBe(LIMIT);
    expect(await passedFor(app, '203.0.113.2')).toBe(0);
  });

  it.each([
    ['true', 'true'],
    ['a hop count', '1'],
    ['a list naming the balancer', '127.0.0.1, 10.0.0.0/8'],
  ])('TRUST_PROXY as %s: each client address has its own budget', async (_label, value) => {
    const app = await start(value);
    expect(await passedFor(app, '203.0.113.1')).toBe(LIMIT);
    expect(await passedFor(app, '203.0.113.2')).toBe(LIMIT);
  });

  it('through a chain of proxies, the client is the first address no trusted proxy stands for', async () => {
    const listed = await start('127.0.0.1, 10.0.0.0/8');
    expect(await passedFor(listed, '198.51.100.9, 10.0.0.5')).toBe(LIMIT);
    expect(await passedFor(listed, '198.51.100.9')).toBe(0);

    // One hop: only the address our balancer added counts, whatever the client wrote before it.
    const oneHop = await start('1');
    expect(await passedFor(oneHop, 'forged, 10.0.0.5')).toBe(LIMIT);
    expect(await passedFor(oneHop, '10.0.0.5')).toBe(0);
  });

  it('a list that does not name the peer trusts nothing it says', async () => {
    const app = await start('10.0.0.1');
    expect(await passedFor(app, '203.0.113.1')).toBe(LIMIT);
    expect(await passedFor(app, '203.0.113.2')).toBe(0);
  });

  it('the request log names the client address from X-Forwarded-For only with TRUST_PROXY', async () => {
    const lines: Array<{ msg?: string; req?: { remoteAddress?: string } }> = [];
    const sink = () =>
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (const line of chunk.toString().split('\n').filter(Boolean))
            lines.push(JSON.parse(line));
          done();
        },
      });
    const remoteAddresses = async (app: TestApp) => {
      lines.length = 0;
      await request(app.baseUrl).get('/api/v1/products').set('X-Forwarded-For', '203.0.113.7');
      // The access line is written once the answer has gone out, maybe after the client has it.
      await eventually(() => lines.some((line) => line.msg === 'request completed'));
      return lines.filter((line) => line.req?.remoteAddress).map((line) => line.req!.remoteAddress);
    };

    expect(await remoteAddresses(await start('true', sink()))).toEqual(['203.0.113.7']);
    expect(await remoteAddresses(await start(undefined, sink()))).toEqual(['127.0.0.1']);
  });
});
