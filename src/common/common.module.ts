import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { AuthenticatedRequest } from './auth/auth.decorators';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { TokenVerifier } from './auth/token-verifier';
import { Clock, SystemClock } from './clock/clock';
import { DatabaseModule } from './database/database.module';
import { HealthController } from './health/health.controller';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyStore } from './idempotency/idempotency.store';
import { IdempotencySweeper } from './idempotency/idempotency.sweeper';

/** Cross-cutting wiring: database, auth, rate limiting, idempotency, clock, health. */
@Global()
@Module({
  imports: [
    DatabaseModule,
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        throttlers: [{ ttl: 60_000, limit: Math.max(config.rateLimitPerMinute, 1) }],
        skipIf: () => config.rateLimitPerMinute === 0,
        getTracker: (request: Record<string, unknown>) => {
          const { actor, ip } = request as unknown as AuthenticatedRequest;
          return actor ? `user:${actor.userId}` : `ip:${ip}`;
        },
      }),
    }),
  ],
  controllers: [HealthController],
  providers: [
    { provide: Clock, useClass: SystemClock },
    TokenVerifier,
    IdempotencyStore,
    IdempotencyInterceptor,
    IdempotencySweeper,
    // Order matters: the auth guard sets request.actor, which the throttler keys on.
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: ThrottlerGuard },
  ],
  exports: [Clock, TokenVerifier, IdempotencyStore, IdempotencyInterceptor],
})
export class CommonModule {}
