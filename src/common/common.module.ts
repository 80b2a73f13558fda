import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { TokenVerifier } from './auth/token-verifier';
import {
  RATE_LIMIT_WINDOW_MS,
  rateLimitKey,
  rateLimitTracker,
  THROTTLER_NAME,
} from './rate-limit/rate-limit-tracker';
import { RedisThrottlerStorage } from './rate-limit/redis-throttler.storage';
import { RedisModule } from './redis/redis.module';
import { SharedRedis } from './redis/shared-redis';
import { ProcessCaches } from './cache/process-caches';
import { ResponseCache } from './http/response-cache';
import { Clock, SystemClock } from './clock/clock';
import { DatabaseModule } from './database/database.module';
import { MetricsModule } from './metrics/metrics.module';
import { DatabaseHealthIndicator } from './health/database.health';
import { HealthController } from './health/health.controller';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyStore } from './idempotency/idempotency.store';
import { IdempotencySweeper } from './idempotency/idempotency.sweeper';
import { UnexpectedBodyGuard } from './validation/unexpected-body.guard';

/** Cross-cutting wiring: database, Redis, auth, rate limiting, idempotency, clock, health. */
@Global()
@Module({
  imports: [
    DatabaseModule,
    MetricsModule,
    RedisModule,
    // /health: a failing check answers 503 in the standard body, not a log line per poll.
    TerminusModule.forRoot({ logger: false }),
    ThrottlerModule.forRootAsync({
      imports: [RedisModule],
      inject: [AppConfig, SharedRedis],
      useFactory: (config: AppConfig, redis: SharedRedis) => {
        const verifier = new TokenVerifier(config);
        return {
          throttlers: [
            {
              name: THROTTLER_NAME,
              ttl: RATE_LIMIT_WINDOW_MS,
              limit: Math.max(config.rateLimitPerMinute, 1),
            },
          ],
          skipIf: () => config.rateLimitPerMinute === 0,
          // The throttler runs before the auth guard, so requests with a bad token are counted
          // too (by address); a valid token counts against its user, whatever the address.
          getTracker: (request: Record<string, unknown>) => rateLimitTracker(verifier, request),
          // One budget per user or address across all routes (the default keys per route).
          generateKey: (_context, tracker) => rateLimitKey(tracker),
          // Shared by every process when Redis is configured; per process otherwise.
          storage:
            config.redisUrl && config.rateLimitPerMinute > 0
              ? new RedisThrottlerStorage(redis, `ratelimit:${config.db.name}`)
              : undefined,
        };
      },
    }),
  ],
  controllers: [HealthController],
  providers: [
    { provide: Clock, useClass: SystemClock },
    ProcessCaches,
    ResponseCache,
    TokenVerifier,
    IdempotencyStore,
    IdempotencyInterceptor,
    IdempotencySweeper,
    DatabaseHealthIndicator,
    // Order matters: rate limiting comes first, so failed authentication is limited too.
    { provide: APP_GUARD, useClass: ThrottlerGuard },
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    // After authentication: a body sent to a route that takes none is a 400, not ignored.
    { provide: APP_GUARD, useClass: UnexpectedBodyGuard },
  ],
  exports: [
    ProcessCaches,
    ResponseCache,
    Clock,
    TokenVerifier,
    IdempotencyStore,
    IdempotencyInterceptor,
    RedisModule,
  ],
})
export class CommonModule {}
