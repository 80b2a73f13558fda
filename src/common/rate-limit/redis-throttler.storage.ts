import { OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { SharedRedis } from '../redis/shared-redis';

/** Counts a hit and returns [hits in the window, ms left in the window]: one atomic round trip. */
const INCREMENT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { hits, redis.call('PTTL', KEYS[1]) }`;

/**
 * Rate-limit counters in Redis (fixed window per user or address), so every process behind the
 * load balancer shares one budget. While Redis is down or not answering (SharedRedis: command
 * timeout, circuit breaker) each process counts on its own with the throttler's in-memory
 * storage, as it does without REDIS_URL: the limit still holds per process, so with N processes
 * a client may get up to N times the limit until Redis is back.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly perProcess = new ThrottlerStorageService();

  constructor(
    private readonly redis: SharedRedis,
    private readonly keyPrefix: string,
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    if (this.redis.available) {
      try {
        return await this.sharedIncrement(key, ttl, limit);
      } catch {
        // Counted per process below; SharedRedis reports the outage.
      }
    }
    return this.perProcess.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  onApplicationShutdown(): void {
    this.perProcess.onApplicationShutdown();
  }

  private async sharedIncrement(
    key: string,
    ttl: number,
    limit: number,
  ): Promise<ThrottlerStorageRecord> {
    const [hits, pttl] = (await this.redis.run((client) =>
      client.eval(INCREMENT_SCRIPT, {
        keys: [`${this.keyPrefix}:${key}`],
        arguments: [String(ttl)],
      }),
    )) as [number, number];
    const timeToExpire = Math.max(1, Math.ceil(pttl / 1000));
    const isBlocked = hits > limit;
    return {
      totalHits: hits,
      timeToExpire,
      isBlocked,
      timeToBlockExpire: isBlocked ? timeToExpire : 0,
    };
  }
}
