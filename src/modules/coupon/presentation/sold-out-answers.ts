import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TokenVerifier } from '../../../common/auth/token-verifier';
import { sendError } from '../../../common/errors/error-body';
import { parseId } from '../../../common/validation/id-param';
import type { CouponService } from '../application/coupon.service';

/**
 * `POST /users/{userId}/coupons` for a coupon this process has seen sold out, answered in
 * Fastify's `preHandler` hook, before Nest's guards, pipes and controller. In a first-come,
 * first-served rush most requests arrive after the last copy went, and each cost about 0.2 ms of
 * CPU through Nest's pipeline for an answer known in advance (docs/performance.md).
 *
 * The answer and its precedence are the controller's: whatever the hook cannot vouch for goes on
 * to Nest unchanged and is answered there as before: no valid token (401), another user's id
 * without the admin role (403), a path id or a body the pipes would refuse (400), over the rate
 * limit (429; the budget is spent as the ThrottlerGuard would), a coupon not known sold out.
 */
export function installSoldOutAnswers(
  fastify: FastifyInstance,
  options: {
    prefix: string;
    coupons: CouponService;
    verifier: TokenVerifier;
    rateLimit: (request: FastifyRequest, reply: FastifyReply) => Promise<boolean>;
  },
): void {
  const route = `/${options.prefix}/users/:userId/coupons`;
  const { coupons, verifier, rateLimit } = options;
  fastify.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || request.routeOptions.url !== route) return;
    const couponId = couponIdOf(request.body);
    if (couponId === null || !coupons.knowsSoldOut(couponId)) return;
    const userId = parseId((request.params as Record<string, unknown>).userId);
    if (userId === null || !verifier.actorOf(request)?.canActFor(userId)) return;
    if (!(await rateLimit(request, reply))) return;
    const refusal = coupons.refusalFromMemory(userId, couponId);
    if (!refusal) return;
    sendError(refusal, request, reply);
    return reply;
  });
}

/**
 * The body IssueCouponDto accepts (whitelisted, nothing else allowed): exactly
 * `{ "couponId": <integer from 1 to 2^53 - 1> }`; null for anything else.
 */
function couponIdOf(body: unknown): number | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== 'couponId') return null;
  const { couponId } = body as { couponId: unknown };
  return typeof couponId === 'number' && Number.isSafeInteger(couponId) && couponId >= 1
    ? couponId
    : null;
}
