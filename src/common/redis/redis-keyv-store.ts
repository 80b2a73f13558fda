import { EventEmitter } from 'node:events';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import { SharedRedis } from './shared-redis';

/**
 * A Keyv storage adapter on the process's one Redis connection, so that a cache-manager cache
 * (cache-manager → Keyv → this) gets what every other use of Redis gets from `SharedRedis`:
 * a deadline on each exchange (REDIS_COMMAND_TIMEOUT_MS), no offline queue, and the circuit
 * breaker. Keyv and cache-manager turn a failed call into a miss (get) or a quiet `false` (set);
 * the breaker has seen the failure here, below them, so an outage still opens it, and while it
 * is open every call fails at once without touching the network.
 *
 * Keys are `<namespace>:<key>` (Keyv adds the namespace); values are Keyv's serialized entries,
 * expiring in Redis with the entry's TTL.
 */
export class RedisKeyvStore extends EventEmitter implements KeyvStoreAdapter {
  readonly opts = {};
  /** Set by Keyv from its `namespace` option. */
  namespace?: string;

  constructor(private readonly redis: SharedRedis) {
    super();
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const value = await this.redis.run((client) => client.get(key));
    return (value ?? undefined) as StoredData<Value> | undefined;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<boolean> {
    await this.redis.run((client) =>
      ttlMs ? client.set(key, value, { PX: ttlMs }) : client.set(key, value),
    );
    return true;
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.run((client) => client.del(key))) > 0;
  }

  /** Deletes this namespace's keys; never the whole Redis, which the rate limiter shares. */
  async clear(): Promise<void> {
    const namespace = this.namespace;
    if (!namespace) throw new Error('RedisKeyvStore.clear() needs a Keyv namespace');
    await this.redis.run(async (client) => {
      for await (const keys of client.scanIterator({ MATCH: `${namespace}:*`, COUNT: 500 })) {
        if (keys.length > 0) await client.del(keys);
      }
    });
  }
}
