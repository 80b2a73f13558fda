import helmet from 'helmet';
import { INestApplication } from '@nestjs/common';
import { NestFastifyApplication, FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { randomUUID } from 'node:crypto';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { answerClientError } from './common/errors/client-error';
import { sendError } from './common/errors/error-body';
import { assertBodyDepth } from './common/validation/body-depth';
import { createValidationPipe } from './common/validation/validation.pipe';
import { corsOptions } from './common/http/cors';
import { installConditionalGet, installResponseCache } from './common/http/http-cache';
import { ResponseCache } from './common/http/response-cache';
import { earlyRateLimit } from './common/rate-limit/early-rate-limit';
import { TokenVerifier } from './common/auth/token-verifier';
import { ThrottlerStorage } from '@nestjs/throttler';
import { AccessLogController } from './common/logging/access-log';
import { installHttpMetrics } from './common/metrics/http-metrics';
import { Metrics } from './common/metrics/metrics';
import { setupSwagger } from './common/http/swagger';
import { AppConfig, TrustProxy } from './config/app-config';
import { CouponService, installSoldOutAnswers } from './modules/coupon';

export const API_PREFIX = 'api/v1';
/** Largest accepted request body. The largest legitimate body (a 50-line order) is under 4 KiB. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * JSON in only: Nest adds a form-urlencoded parser and Fastify ships a text/plain one, which
 * let `amount=1` or a JSON text sent as text/plain reach validation instead of a 415.
 * An empty body with Content-Type: application/json (what many clients send on a body-less
 * POST such as /payment) counts as no body rather than as invalid JSON.
 */
class JsonOnlyFastifyAdapter extends FastifyAdapter {
  override registerParserMiddleware(prefix?: string, rawBody?: boolean): void {
    super.registerParserMiddleware(prefix, rawBody);
    const fastify = this.getInstance();
    fastify.removeContentTypeParser([
      'application/x-www-form-urlencoded',
      'text/plain',
      'application/json',
    ]);
    const parseJson = fastify.getDefaultJsonParser('error', 'error');
    fastify.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
      (request, body, done) =>
        body === '' ? done(null, undefined) : parseJson(request, body as string, done),
    );
  }
}

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** A client's X-Request-Id is kept only when it is short and plain; otherwise a new UUID. */
function requestId(request: { headers: Record<string, string | string[] | undefined> }): string {
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && CLIENT_REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * `trustProxy` (TRUST_PROXY) decides where `request.ip`, the address that rate limiting and the
 * request log use, comes from: the peer, or X-Forwarded-For as far as the proxies are trusted.
 */
export function createFastifyAdapter(
  logger: PinoLogger,
  trustProxy: TrustProxy = false,
): FastifyAdapter {
  return new JsonOnlyFastifyAdapter({
    loggerInstance: logger,
    // One access line per request (common/logging/access-log.ts).
    logController: new AccessLogController(),
    trustProxy,
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: false,
    genReqId: requestId,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // Requests Node's HTTP parser refuses (oversized headers, malformed HTTP) get the standard body.
    clientErrorHandler: answerClientError,
    // Errors the router raises before any hook or handler (a badly encoded URL, an overlong
    // path parameter) get the standard body too, instead of Fastify's own.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      void reply.header('x-request-id', request.id);
      sendError(error, request, reply);
    },
  });
}

/** App-wide setup, shared by main.ts and the e2e tests so tests run the app users get. */
export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter(app.get(Metrics)));

  const adapter = app.getHttpAdapter() as unknown as FastifyAdapter;
  adapter.getInstance().addHook('preValidation', async (request) => assertBodyDepth(request.body));
  // ETag and 304 for the public catalogue reads, and their answers kept for the response cache
  // (see common/http/http-cache.ts).
  installConditionalGet(adapter.getInstance(), app.get(ResponseCache));
  installHttpMetrics(adapter.getInstance(), app.get(Metrics));
  // Built once: @fastify/helmet rebuilds the middleware (and re-parses the CSP) per request.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: [`'self'`],
        styleSrc: [`'self'`, `'unsafe-inline'`],
        imgSrc: [`'self'`, 'data:'],
        scriptSrc: [`'self'`, `'unsafe-inline'`],
        // Swagger UI must work over plain HTTP on any host, not only on localhost.
        upgradeInsecureRequests: null,
      },
    },
  });
  // Nest's first request hook, ahead of the CORS one that answers preflights itself: every
  // answer, a preflight's 204 included, carries X-Request-Id and the security headers.
  adapter.setOnRequestHook((request, reply, done) => {
    void reply.header('x-request-id', request.id);
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
  app.enableCors(corsOptions(config.corsOrigins));
  const rateLimit = earlyRateLimit(
    app.get<ThrottlerStorage>(ThrottlerStorage),
    app.get(TokenVerifier),
    config.rateLimitPerMinute,
  );
  installResponseCache(adapter.getInstance(), app.get(ResponseCache), rateLimit);
  installSoldOutAnswers(adapter.getInstance(), {
    prefix: API_PREFIX,
    coupons: app.get(CouponService),
    verifier: app.get(TokenVerifier),
    rateLimit,
  });

  if (config.docsEnabled) setupSwagger(app as unknown as INestApplication);
}
