import { Module } from '@nestjs/common';
import { SharedCache } from './shared-cache';
import { SharedRedis } from './shared-redis';

/** The optional shared store (REDIS_URL): one connection and breaker per process. */
@Module({
  providers: [SharedRedis, SharedCache],
  exports: [SharedRedis, SharedCache],
})
export class RedisModule {}
