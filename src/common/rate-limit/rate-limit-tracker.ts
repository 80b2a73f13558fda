import type { AuthenticatedRequest } from '../auth/auth.decorators';
import type { TokenVerifier } from '../auth/token-verifier';

/** The throttler's one unnamed throttler: keys are `default:<tracker>`. */
export const THROTTLER_NAME = 'default';
export const RATE_LIMIT_WINDOW_MS = 60_000;

/**
 * Whose budget a request spends: a valid token's user, whatever the address; otherwise the
 * client address (so requests with a bad token are limited too).
 */
export function rateLimitTracker(verifier: TokenVerifier, request: unknown): string {
  const actor = verifier.actorOf(request as AuthenticatedRequest);
  return actor ? `user:${actor.userId}` : `ip:${(request as AuthenticatedRequest).ip}`;
}

export const rateLimitKey = (tracker: string) => `${THROTTLER_NAME}:${tracker}`;
