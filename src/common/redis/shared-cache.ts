import { Injectable } from '@nestjs/common';
import { SharedRedis } from './shared-redis';

/**
 * JSON values with a time-to-live in the shared store, for answers every process may reuse.
 * Never throws: a missing Redis, an open circuit or a failed command reads as a miss and
 * skips the write, and the caller computes the answer itself.
 */
@Injectable()
export class SharedCache {
  constructor(private readonly redis: SharedRedis) {}

  /** False without REDIS_URL or while Redis is down: keep answers in-process instead. */
  get available(): boolean {
    return this.redis.available;
  }

  /** `listener` runs when the shared store is back after an outage. */
  onRecovery(listener: () => void): void {
    this.redis.onRecovery(listener);
  }

  async get<T>(key: string): Promise<T | undefined> {
    try {
      const raw = await this.redis.run((client) => client.get(key));
      return raw === null ? undefined : (JSON.parse(raw) as T);
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    await this.redis
      .run((client) => client.set(key, JSON.stringify(value), { PX: ttlMs }))
      .catch(() => undefined);
  }
}
