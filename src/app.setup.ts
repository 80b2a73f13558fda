import helmet from '@fastify/helmet';
import { INestApplication } from '@nestjs/common';
import { NestFastifyApplication, FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { randomUUID } from 'node:crypto';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { sendError } from './common/errors/error-body';
import { assertBodyDepth } from './common/validation/body-depth';
import { createValidationPipe } from './common/validation/validation.pipe';
import { setupSwagger } from './common/http/swagger';
import { AppConfig } from './config/app-config';

export const API_PREFIX = 'api/v1';
/** Largest accepted request body. The largest legitimate body (a 50-line order) is under 4 KiB. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * JSON in only: Nest adds a form-urlencoded parser and Fastify ships a text/plain one, which
 * let `amount=1` or a JSON text sent as text/plain reach validation instead of a 415.
 */
class JsonOnlyFastifyAdapter extends FastifyAdapter {
  override registerParserMiddleware(prefix?: string, rawBody?: boolean): void {
    super.registerParserMiddleware(prefix, rawBody);
    this.getInstance().removeContentTypeParser(['application/x-www-form-urlencoded', 'text/plain']);
  }
}

export function createFastifyAdapter(logger: PinoLogger): FastifyAdapter {
  return new JsonOnlyFastifyAdapter({
    loggerInstance: logger,
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    forceCloseConnections: 'idle',
    return503OnClosing: true,
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
  app.useGlobalFilters(new AllExceptionsFilter());

  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  fastify.addHook('preValidation', async (request) => assertBodyDepth(request.body));
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: [`'self'`],
        styleSrc: [`'self'`, `'unsafe-inline'`],
        imgSrc: [`'self'`, 'data:'],
        scriptSrc: [`'self'`, `'unsafe-inline'`],
      },
    },
  });

  if (config.docsEnabled) setupSwagger(app as unknown as INestApplication);
}
