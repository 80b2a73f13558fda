import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { ClosedLoopLoad, PhaseFigures } from '../support/closed-loop-load';
import { insertProduct } from '../support/fixtures';
import { waitFor } from '../support/keyed-traffic';
import { PrivateRedis, startPrivateRedis } from '../support/private-redis';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The real app with REDIS_URL pointing at a redis-server of this test's own, under concurrent
 * load (cached popular reads and rate-limited charges), while that Redis is killed or frozen
 * (SIGSTOP) and brought back. Redis is optional: the API must degrade (per-process fallbacks),
 * never stall, and go back to the shared store by itself.
 */
const CLIENTS = 16;
const WARM_UP_MS = 2_000;
const BEFORE_MS = 3_000;
const DOWN_MS = 5_000;
const BACK_MS = 3_000;
/** Generous: the 2-core machine is shared with other jobs. */
const THROUGHPUT_FACTOR = 4;
const P99_FACTOR = 6;
const P99_FLOOR_MS = 250;
/** Reconnection backoff (up to 1 s) plus the next probe (every 1 s), with room for a busy box. */
const BACK_WITHIN_MS = 8_000;

const appEnv = (redisUrl: string) => ({
  REDIS_URL: redisUrl,
  // High enough never to trip: the limiter is exercised on every request, not refusing any.
  RATE_LIMIT_PER_MINUTE: '10000000',
  POPULAR_CACHE_TTL_SECONDS: '60',
});

const report = (line: string) => process.stdout.write(`[redis-outage] ${line}\n`);
const show = (f: PhaseFigures) => `${f.perSecond} req/s, p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Redis outage: the API degrades to per-process fallbacks, never stalls', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  let redisLogs: string[];

  beforeAll(async () => {
    redis = await startPrivateRedis();
    t = await startTestApp(appEnv(redis.url));
    t.stopBackgroundJobs();
    const product = await insertProduct(t.dataSource, 1_000, 100, 'Popular');
    await t.dataSource.query(
      'INSERT INTO product_sales_daily (sales_date, product_id, quantity) VALUES (UTC_DATE(), ?, 7)',
      [product],
    );
    // Warm the app up (JIT, pools) so the first scenario's "before" is not its start-up.
    const warmUp = mixedLoad(t).start();
    await sleep(WARM_UP_MS);
    await warmUp.stop();
  }, 30_000);

  afterAll(async () => {
    await t?.close();
    await redis?.destroy();
  });

  beforeEach(() => {
    redisLogs = [];
    for (const level of ['log', 'warn', 'error'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
        if (/redis/i.test(String(args[0]))) redisLogs.push(String(args[0]));
      });
    }
  });
  afterEach(() => jest.restoreAllMocks());

  const health = async (baseUrl = t.baseUrl) => {
    const response = await fetch(`${baseUrl}/health`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const redisState = async (baseUrl = t.baseUrl) => (await health(baseUrl)).body.redis;

  /** Even clients read the cached popular list; odd ones charge their own balance by 1. */
  const mixedLoad = (app: TestApp) =>
    new ClosedLoopLoad(
      app.baseUrl,
      CLIENTS,
      (client) =>
        client % 2 === 0
          ? { path: '/api/v1/products/popular?days=1&limit=5', ok: [200] }
          : {
              path: `/api/v1/users/${client}/balance/charge`,
              init: {
                method: 'POST',
                headers: {
                  ...app.auth(client),
                  'content-type': 'application/json',
                  'idempotency-key': randomUUID(),
                },
                body: JSON.stringify({ amount: 1 }),
              },
              ok: [200],
            },
      { requestTimeoutMs: 15_000, deadlineMs: 40_000 },
    );

  it.each([
    {
      outage: 'killed (SIGKILL), then restarted on the same port',
      fail: () => redis.kill(),
      recover: () => redis.start(),
    },
    {
      outage: 'hung (SIGSTOP: connections open, no answers), then resumed (SIGCONT)',
      fail: async () => redis.freeze(),
      recover: async () => redis.thaw(),
    },
  ])(
    'Redis $outage: no failed request, throughput and p99 close to before, shared store used again',
    async ({ outage, fail, recover }) => {
      expect(await redisState()).toBe('up');
      const load = mixedLoad(t).start();

      await sleep(1_000 + BEFORE_MS); // the first second warms up
      const failedAt = load.now();
      await fail();
      await sleep(DOWN_MS / 2);
      const whileDown = await health();
      await sleep(DOWN_MS / 2);
      const recoverAt = load.now();
      await recover();
      const backWithinMs = await waitFor(
        async () => (await redisState()) === 'up',
        10_000,
        'redis up',
      );
      const backAt = load.now();
      // Whatever the shared store holds from now on was written after Redis came back.
      await redis.flushAll();
      await sleep(BACK_MS);
      const endAt = load.now();
      await load.stop();

      const before = load.figures(1_000, failedAt);
      const down = load.figures(failedAt, recoverAt);
      const back = load.figures(backAt, endAt);
      report(
        `${outage}: before ${show(before)} | down ${show(down)} | back ${show(back)} | ` +
          `shared store in use again ${backWithinMs} ms after recovery`,
      );

      expect(load.failures()).toEqual({});
      expect(down.perSecond).toBeGreaterThan(before.perSecond / THROUGHPUT_FACTOR);
      expect(down.p99Ms).toBeLessThan(Math.max(before.p99Ms * P99_FACTOR, P99_FLOOR_MS));
      expect(back.perSecond).toBeGreaterThan(before.perSecond / THROUGHPUT_FACTOR);

      // /health stayed 200 (the database decides readiness) and said Redis was degraded.
      expect(whileDown).toEqual({
        status: 200,
        body: expect.objectContaining({ status: 'ok', database: 'up', redis: 'degraded' }),
      });
      expect(backWithinMs).toBeLessThan(BACK_WITHIN_MS);

      // Both users of Redis write to it again: rate-limit counters and the popular cache.
      expect(await redis.keys('ratelimit:*')).not.toEqual([]);
      expect(await redis.keys('popular:*')).not.toEqual([]);

      // Once down, once back: not a line per request.
      expect(redisLogs.filter((line) => /redis is down/i.test(line))).toHaveLength(1);
      expect(redisLogs.filter((line) => /redis is back/i.test(line))).toHaveLength(1);
    },
    60_000,
  );

  it('Redis down at start-up: the app starts and serves, then uses Redis once it answers', async () => {
    const late = await startPrivateRedis({ started: false });
    const app = await startTestApp(appEnv(late.url));
    try {
      app.stopBackgroundJobs();
      expect(await health(app.baseUrl)).toEqual({
        status: 200,
        body: expect.objectContaining({ status: 'ok', redis: 'degraded' }),
      });
      const served = await fetch(`${app.baseUrl}/api/v1/products/popular`);
      expect(served.status).toBe(200);

      await late.start();
      await waitFor(async () => (await redisState(app.baseUrl)) === 'up', 10_000, 'redis up');
      expect((await fetch(`${app.baseUrl}/api/v1/products/popular?days=2`)).status).toBe(200);
      expect(await late.keys('ratelimit:*')).not.toEqual([]);
      expect(await late.keys('popular:*')).not.toEqual([]);
    } finally {
      await app.close();
      await late.destroy();
    }
  });

  it('without REDIS_URL, /health says Redis is disabled', async () => {
    const app = await startTestApp({});
    try {
      expect((await health(app.baseUrl)).body).toMatchObject({ status: 'ok', redis: 'disabled' });
    } finally {
      await app.close();
    }
  });
});
