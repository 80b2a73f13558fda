import helmet from '@fastify/helmet';
import { INestApplication } from '@nestjs/common';
import { NestFastifyApplication, FastifyAdapter } from '@nestjs/platform-fastify';
import type { Logger as PinoLogger } from 'pino';
import { randomUUID } from 'node:crypto';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { createValidationPipe } from './common/validation/validation.pipe';
import { setupSwagger } from './common/http/swagger';
import { AppConfig } from './config/app-config';

export const API_PREFIX = 'api/v1';
/** Largest accepted request body. The largest legitimate body (a 50-line order) is under 4 KiB. */
export const BODY_LIMIT_BYTES = 64 * 1024;

export function createFastifyAdapter(logger: PinoLogger): FastifyAdapter {
  return new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    forceCloseConnections: 'idle',
    return503OnClosing: true,
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
