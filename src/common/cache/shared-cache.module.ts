import { CacheModule } from '@nestjs/cache-manager';
import { DynamicModule } from '@nestjs/common';
import Keyv from 'keyv';
import { AppConfig } from '../../config/app-config';
import { RedisKeyvStore } from '../redis/redis-keyv-store';
import { SharedRedis } from '../redis/shared-redis';

/**
 * A cache-manager cache (`@Inject(CACHE_MANAGER) cache: Cache`) for answers every process may
 * reuse: in Redis when REDIS_URL is set (through `SharedRedis`: deadline and circuit breaker),
 * in memory otherwise. Its keys are `<namespace>:<key>`. It never throws for the store: a failed
 * read is a miss and a failed write is skipped, so the caller computes the answer itself.
 */
export function sharedCache(namespace: string): DynamicModule {
  return CacheModule.registerAsync({
    inject: [AppConfig, SharedRedis],
    useFactory: (config: AppConfig, redis: SharedRedis) => ({
      stores: [
        new Keyv({
          namespace,
          ...(config.redisUrl ? { store: new RedisKeyvStore(redis) } : {}),
        }),
      ],
    }),
  });
}
