import type { ThrottlerStorage } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TokenVerifier } from '../auth/token-verifier';
import {
  RATE_LIMIT_WINDOW_MS,
  rateLimitKey,
  rateLimitTracker,
  THROTTLER_NAME,
} from './rate-limit-tracker';

/**
 * The rate limit for an answer given before Nest's guards run (the response cache's hits):
 * the same budget, storage and headers as the ThrottlerGuard. Resolves false when the request
 * is over the limit; the request then goes on to the guard, which answers the 429.
 */
export function earlyRateLimit(
  storage: ThrottlerStorage,
  verifier: TokenVerifier,
  limit: number,
): (request: FastifyRequest, reply: FastifyReply) => Promise<boolean> {
  if (limit === 0) return async () => true;
  return async (request, reply) => {
    const key = rateLimitKey(rateLimitTracker(verifier, request));
    const { totalHits, timeToExpire, isBlocked } = await storage.increment(
      key,
      RATE_LIMIT_WINDOW_MS,
      limit,
      RATE_LIMIT_WINDOW_MS,
      THROTTLER_NAME,
    );
    if (isBlocked) return false;
    void reply
      .header('X-RateLimit-Limit', limit)
      .header('X-RateLimit-Remaining', Math.max(0, limit - totalHits))
      .header('X-RateLimit-Reset', timeToExpire);
    return true;
  };
}
