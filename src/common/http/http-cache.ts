import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { etagOf, matchesAny, replyFromCache, ResponseCache } from './response-cache';

/**
 * HTTP caching of the public catalogue reads (contract: Products): a route says how long its
 * answer may be reused (`cachePublicly`); one onSend hook (`installConditionalGet`) then gives
 * that answer an `ETag` and answers a matching `If-None-Match` with 304 and no body. Browsers,
 * CDNs and reverse proxies may keep such answers for `max-age` seconds and revalidate them
 * cheaply after.
 */

/** The response headers of a cacheable read, for `@ApiOkResponse({ headers })`. */
export const CACHE_HEADERS = {
  ETag: {
    description:
      'A strong tag of this representation (a hash of the body). Send it back in `If-None-Match` to get ' +
      '304 while it is still current.',
    schema: { type: 'string', example: '"5Yk3V1oRGMWW2aV7vXQH6-nCqT8"' },
  },
  'Cache-Control': {
    description:
      '`public, max-age=N`: any cache may reuse the answer until it is N seconds old (counting `Age`), then ' +
      'revalidate it with `If-None-Match`.',
    schema: { type: 'string', example: 'public, max-age=1' },
  },
  Age: {
    description:
      'Only on an answer this service took from a cache of its own: how many seconds old it already is ' +
      '(rounded up), which HTTP caches count against `max-age`.',
    schema: { type: 'integer', minimum: 1 },
  },
};

/** The operation description of a read that always shows the committed state (max-age 0). */
export const ALWAYS_CURRENT =
  'Always the committed state: `Cache-Control: public, max-age=0` (revalidate with `If-None-Match` for a 304).';

/** Documents `If-None-Match` and the 304 of a route that calls `cachePublicly`. */
export const ConditionalGet = () =>
  applyDecorators(
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description:
        'The `ETag` of an answer you hold (or several, comma-separated, or `*`): 304 with no body while it is current.',
      schema: { type: 'string' },
    }),
    ApiResponse({
      status: 304,
      description:
        'Not modified: the answer you hold (its `ETag` in `If-None-Match`) is current. No body.',
      headers: CACHE_HEADERS,
    }),
  );

/**
 * Lets any cache keep this answer until it is `maxAgeSeconds` old; the ETag hook does the rest.
 * An answer whose data was read at `readAt`, before this request came in at `requestedAt` (so it
 * comes from a cache of this process), carries its age in `Age`, rounded up: with it, an HTTP
 * cache keeps the answer only for what is left of `maxAgeSeconds`, and the whole chain of caches
 * stays within the route's bound.
 */
export function cachePublicly(
  reply: FastifyReply,
  maxAgeSeconds: number,
  served?: { readAt: Date; requestedAt: Date; now: Date },
): void {
  void reply.header('cache-control', `public, max-age=${maxAgeSeconds}`);
  if (served && served.readAt.getTime() < served.requestedAt.getTime()) {
    const ageSeconds = Math.ceil((served.now.getTime() - served.readAt.getTime()) / 1000);
    void reply.header('age', String(Math.max(ageSeconds, 1)));
  }
}

/**
 * An `ETag` for every 200 to a GET or HEAD that a route marked `public`, and a 304 with no body
 * when the request's `If-None-Match` names it. The tag hashes the bytes sent, so two processes
 * give one answer the same tag. An answer its route allowed to be reused (ResponseCache) is
 * kept, serialized and tagged, for the response cache.
 */
export function installConditionalGet(fastify: FastifyInstance, cache: ResponseCache): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode !== 200 || (request.method !== 'GET' && request.method !== 'HEAD')) {
      return payload;
    }
    const cacheControl = reply.getHeader('cache-control');
    if (typeof cacheControl !== 'string' || !cacheControl.startsWith('public')) return payload;
    if (typeof payload !== 'string' || reply.hasHeader('etag')) return payload; // a cached answer
    const etag = etagOf(payload);
    void reply.header('etag', etag);
    const reuse = ResponseCache.reuseOf(request);
    if (reuse) cache.store(request.url, { ...reuse, body: payload, etag, cacheControl });
    if (!matchesAny(request.headers['if-none-match'], etag)) return payload;
    void reply.code(304);
    reply.removeHeader('content-type');
    reply.removeHeader('content-length');
    return null;
  });
}

/**
 * Answers a GET or HEAD from the response cache in Fastify's `preHandler` hook, after every
 * request hook (CORS, request id, security headers) and before the handler, where Nest's
 * guards, pipes and controller run: the rate limit is still spent (`rateLimit`); over
 * it, the request goes on to the guard's 429.
 */
export function installResponseCache(
  fastify: FastifyInstance,
  cache: ResponseCache,
  rateLimit: (request: FastifyRequest, reply: FastifyReply) => Promise<boolean>,
): void {
  fastify.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return;
    const entry = cache.lookup(request.url);
    if (!entry || !(await rateLimit(request, reply))) return;
    return replyFromCache(request, reply, entry);
  });
}
