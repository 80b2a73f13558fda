import { createCache } from 'cache-manager';
import Keyv from 'keyv';
import { RedisKeyvStore } from './redis-keyv-store';
import { RedisClient, SharedRedis } from './shared-redis';

/** A Redis of strings with expiry times, and a SharedRedis that may fail every exchange. */
function fakeRedis() {
  const values = new Map<string, string>();
  const expiresIn = new Map<string, number | undefined>();
  const client = {
    get: async (key: string) => values.get(key) ?? null,
    set: async (key: string, value: string, options?: { PX: number }) => {
      values.set(key, value);
      expiresIn.set(key, options?.PX);
      return 'OK';
    },
    del: async (keys: string | string[]) =>
      [keys].flat().filter((key) => values.delete(key)).length,
    async *scanIterator({ MATCH }: { MATCH: string }) {
      const prefix = MATCH.replace(/\*$/, '');
      yield [...values.keys()].filter((key) => key.startsWith(prefix));
    },
  };
  const state = { failing: false, failures: 0 };
  const redis = {
    run: async <T>(exchange: (client: RedisClient) => Promise<T>) => {
      if (state.failing) {
        state.failures++;
        throw new Error('no answer within 50 ms');
      }
      return exchange(client as unknown as RedisClient);
    },
  } as unknown as SharedRedis;
  return { values, expiresIn, redis, state };
}

describe('RedisKeyvStore (cache-manager -> Keyv -> SharedRedis)', () => {
  function cacheOn(redis: SharedRedis) {
    const store = new RedisKeyvStore(redis);
    return { store, cache: createCache({ stores: [new Keyv({ store, namespace: 'popular' })] }) };
  }

  it('stores under <namespace>:<key> with the TTL as PX, and reads the value back', async () => {
    const { values, expiresIn, redis } = fakeRedis();
    const { cache } = cacheOn(redis);
    await cache.set('v3:shop:1:5', { products: [{ rank: 1 }], computedAt: 7 }, 60_000);
    expect([...values.keys()]).toEqual(['popular:v3:shop:1:5']);
    expect(expiresIn.get('popular:v3:shop:1:5')).toBe(60_000);
    expect(await cache.get('v3:shop:1:5')).toEqual({ products: [{ rank: 1 }], computedAt: 7 });
    expect(await cache.get('v3:shop:2:5')).toBeUndefined();
  });

  it('a failed exchange is a miss for get and a skipped write for set, and SharedRedis saw both', async () => {
    const { values, redis, state } = fakeRedis();
    const { cache } = cacheOn(redis);
    await cache.set('a', 1, 1_000);
    state.failing = true;
    await expect(cache.get('a')).resolves.toBeUndefined();
    await expect(cache.set('b', 2, 1_000)).resolves.toBe(2);
    expect(state.failures).toBe(2);
    expect([...values.keys()]).toEqual(['popular:a']);
  });

  it('deletes a key; clear() deletes only its namespace, never what else shares the Redis', async () => {
    const { values, redis } = fakeRedis();
    const { cache } = cacheOn(redis);
    values.set('ratelimit:shop:user:1', '3');
    await cache.set('a', 1, 1_000);
    await cache.set('b', 2, 1_000);
    await cache.del('a');
    expect([...values.keys()].sort()).toEqual(['popular:b', 'ratelimit:shop:user:1']);
    await cache.clear();
    expect([...values.keys()]).toEqual(['ratelimit:shop:user:1']);
  });

  it('refuses to clear without a namespace', async () => {
    const { redis } = fakeRedis();
    await expect(new RedisKeyvStore(redis).clear()).rejects.toThrow(/namespace/);
  });
});
