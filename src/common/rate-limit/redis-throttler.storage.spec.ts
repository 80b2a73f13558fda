import { SharedRedis } from '../redis/shared-redis';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/** SharedRedis as the storage sees it: available or not, and what a command answers. */
function fakeRedis(state: { available: boolean; answer: () => Promise<unknown> }) {
  const calls: string[][] = [];
  const redis = {
    get available() {
      return state.available;
    },
    run: (exchange: (client: unknown) => Promise<unknown>) =>
      exchange({
        eval: (_script: string, options: { keys: string[] }) => {
          calls.push(options.keys);
          return state.answer();
        },
      }),
  } as unknown as SharedRedis;
  return { redis, calls };
}

describe('RedisThrottlerStorage', () => {
  const storages: RedisThrottlerStorage[] = [];
  const storageOn = (redis: SharedRedis) => {
    const storage = new RedisThrottlerStorage(redis, 'ratelimit:shop');
    storages.push(storage);
    return storage;
  };
  afterEach(() => storages.splice(0).forEach((s) => s.onApplicationShutdown()));

  it('counts in Redis while it is available: one key per tracker, blocked past the limit', async () => {
    let hits = 0;
    const { redis, calls } = fakeRedis({
      available: true,
      answer: async () => [++hits, 42_500],
    });
    const storage = storageOn(redis);

    const first = await storage.increment('default:user:7', 60_000, 2, 0, 'default');
    await storage.increment('default:user:7', 60_000, 2, 0, 'default');
    const third = await storage.increment('default:user:7', 60_000, 2, 0, 'default');

    expect(calls[0]).toEqual(['ratelimit:shop:default:user:7']);
    expect(first).toEqual({
      totalHits: 1,
      timeToExpire: 43,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
    expect(third).toEqual({
      totalHits: 3,
      timeToExpire: 43,
      isBlocked: true,
      timeToBlockExpire: 43,
    });
  });

  it('while Redis is down, counts per process without calling it, and the limit still holds there', async () => {
    const { redis, calls } = fakeRedis({
      available: false,
      answer: () => Promise.reject(new Error('must not be called')),
    });
    const storage = storageOn(redis);

    const records = [];
    for (let i = 0; i < 3; i++)
      records.push(await storage.increment('default:user:7', 60_000, 2, 0, 'default'));

    expect(calls).toEqual([]);
    expect(records.map((r) => [r.totalHits, r.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
  });

  it('a command that fails (timeout, connection lost) is counted per process instead: never an error', async () => {
    const { redis } = fakeRedis({
      available: true,
      answer: () => Promise.reject(new Error('no answer within 50 ms')),
    });
    const storage = storageOn(redis);

    const record = await storage.increment('default:ip:10.0.0.1', 60_000, 5, 0, 'default');

    expect(record).toMatchObject({ totalHits: 1, isBlocked: false });
  });
});
