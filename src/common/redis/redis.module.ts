import { Module } from '@nestjs/common';
import { SharedRedis } from './shared-redis';

/** The optional shared store (REDIS_URL): one connection and breaker per process. */
@Module({
  providers: [SharedRedis],
  exports: [SharedRedis],
})
export class RedisModule {}
