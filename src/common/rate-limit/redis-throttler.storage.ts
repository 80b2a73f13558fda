import { Logger, OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { createClient } from '@redis/client';

/** Counts a hit and returns [hits in the window, ms left in the window]: one atomic round trip. */
const INCREMENT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { hits, redis.call('PTTL', KEYS[1]) }`;

/** Past this, a Redis that does not answer lets the request through rather than stall it. */
const COMMAND_TIMEOUT_MS = 250;

/**
 * Rate-limit counters in Redis (fixed window per user or address), so every process behind the
 * load balancer shares one budget. A Redis that is down or slow fails open: the request is
 * served and a warning logged, since the limiter must never take the API down with it.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger(RedisThrottlerStorage.name);
  private readonly client;
  private connecting?: Promise<unknown>;

  constructor(
    url: string,
    private readonly keyPrefix: string,
  ) {
    this.client = createClient({
      url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 1_000,
        reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2_000),
      },
    });
    this.client.on('error', (error: Error) =>
      this.logger.warn(`rate-limit store: ${error.message}`),
    );
  }

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    try {
      const [hits, pttl] = (await withTimeout(
        (async () => {
          await this.connection();
          return this.client.eval(INCREMENT_SCRIPT, {
            keys: [`${this.keyPrefix}:${key}`],
            arguments: [String(ttl)],
          });
        })(),
        COMMAND_TIMEOUT_MS,
      )) as [number, number];
      const timeToExpire = Math.max(1, Math.ceil(pttl / 1000));
      const isBlocked = hits > limit;
      return {
        totalHits: hits,
        timeToExpire,
        isBlocked,
        timeToBlockExpire: isBlocked ? timeToExpire : 0,
      };
    } catch (error) {
      this.logger.warn(
        `rate-limit store unavailable, request not counted: ${(error as Error).message}`,
      );
      return {
        totalHits: 0,
        timeToExpire: Math.ceil(ttl / 1000),
        isBlocked: false,
        timeToBlockExpire: 0,
      };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.client.isReady) await this.client.close().catch(() => undefined);
    else if (this.client.isOpen) this.client.destroy();
  }

  /** Connects on first use; a failed attempt is forgotten so a later request tries again. */
  private connection(): Promise<unknown> {
    if (!this.connecting) {
      this.connecting = this.client.connect();
      this.connecting.catch(() => (this.connecting = undefined));
    }
    return this.connecting;
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
