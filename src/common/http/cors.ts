import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { CorsOrigins } from '../../config/app-config';

type CorsOptions = NonNullable<Parameters<NestFastifyApplication['enableCors']>[0]>;

/** The methods the API's routes use. */
export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'];
/** The request headers browser clients send (contract: Conventions). */
export const CORS_ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'X-Request-Id',
  'If-None-Match',
];
/** Response headers a page's script may read; the rest of the non-simple ones stay hidden. */
export const CORS_EXPOSED_HEADERS = [
  'ETag',
  'X-Request-Id',
  'Idempotent-Replayed',
  'Retry-After',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
];
/** Seconds a browser may reuse a preflight answer. */
export const CORS_MAX_AGE_SECONDS = 600;

/**
 * Options for `app.enableCors()` (Nest's @fastify/cors, run in the first request hook, before
 * routing to guards, so a preflight is answered without a token and without counting against the
 * rate limit, and every answer, errors included, carries the headers).
 *
 * A list is matched by a function rather than handed to @fastify/cors as an array: with an array
 * the plugin still answers a refused origin's preflight with 204 and the allow-headers, and adds
 * `Access-Control-Expose-Headers` to its requests; with the function a refused origin gets no CORS
 * header at all, and its preflight goes on to the 404 every unknown route gets. Every answer says
 * `Vary: Origin` (the plugin adds it whenever the origin option is not a fixed string), so a cache
 * never hands one origin's headers to another. `*` allows any origin with the fixed
 * `Access-Control-Allow-Origin: *`, identical for every origin (no Vary needed).
 *
 * `strictPreflight: false`: an OPTIONS from an allowed origin without
 * `Access-Control-Request-Method` gets the same 204, instead of the plugin's text/plain 400
 * (which is not the standard error body).
 */
export function corsOptions(origins: CorsOrigins): CorsOptions {
  return {
    origin:
      origins === '*'
        ? '*'
        : (origin: string | undefined, callback: (error: Error | null, allow: boolean) => void) =>
            callback(null, origin !== undefined && isAllowedOrigin(origins, origin)),
    methods: CORS_METHODS,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: CORS_MAX_AGE_SECONDS,
    strictPreflight: false,
  };
}

/** Whether a request's `Origin` header is one the configuration allows. */
export function isAllowedOrigin(origins: CorsOrigins, origin: string): boolean {
  if (origins === '*') return true;
  return origins.some((allowed) =>
    typeof allowed === 'string' ? allowed === origin : allowed.test(origin),
  );
}
