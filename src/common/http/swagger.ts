import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { finishOpenApiDocument } from './openapi-post-process';

export const DOCS_PATH = 'docs';

/** One tag per module, in the order Swagger UI lists them. */
const TAGS: Array<[name: string, description: string]> = [
  ['products', 'The catalogue (public reads; admins create and restock) and the top sellers'],
  ['balance', "A user's KRW balance: read, charge, history"],
  ['coupons', 'First-come coupons: admins create them, users get one copy each'],
  ['orders', 'Orders: stock is reserved when placed; pay from the balance; cancel for a refund'],
  ['cart', "A user's cart, priced live, checked out into an order"],
  ['outbox', 'Delivery of paid and refunded orders to the data platform (admin)'],
  ['health', 'Liveness: the database decides; Redis and read replicas are reported'],
];

const DESCRIPTION = [
  'Products, KRW balance, first-come coupons, orders and payment.',
  '',
  '**Auth.** Every operation with a lock icon needs `Authorization: Bearer <JWT>` (HS256, `sub` = user id, ' +
    'optional `role: "admin"`, `exp` required; `exp`/`nbf` checked with 30 s of clock tolerance; `iss`/`aud` ' +
    'when the server sets JWT_ISSUER/JWT_AUDIENCE). Get a local token with ' +
    '`npm run token -- <userId> [--admin]` and paste it into **Authorize**.',
  '',
  '**Errors.** Every error has the `ErrorResponse` body `{ statusCode, code, message, details?, path, ' +
    'timestamp }`; branch on `code`. Each response lists the codes that operation can return.',
  '',
  '**Conventions.** JSON in and out; unknown body fields are rejected (400). Money is whole KRW, ids are ' +
    'positive integers, times are ISO-8601 UTC. Lists are paged with `page` (from 1) and `size` (1-100, ' +
    'default 20). Money-moving POSTs take an optional `Idempotency-Key`. Every response carries ' +
    '`X-Request-Id`; quote it when reporting a problem.',
  '',
  '**Browsers on other origins (CORS).** Pages served from an origin listed in `CORS_ORIGINS` (by default, ' +
    'outside production, `http://localhost` and `http://127.0.0.1` on any port) may call every operation; ' +
    'scripts can read `ETag`, `X-Request-Id`, `Idempotent-Replayed`, `Retry-After` and `X-RateLimit-*`.',
].join('\n');

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('E-commerce API')
    .setDescription(DESCRIPTION)
    .setVersion('1.0')
    .addServer('/', 'This server (relative, so "Try it out" works on any host and port)')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description:
        'HS256 JWT: `sub` = user id, optional `role: "admin"`, `exp` required. `npm run token -- <userId> [--admin]`',
    });
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const config = builder.build();
  // package.json says UNLICENSED: a private API, no public licence to link to.
  config.info.license = { name: 'Proprietary (UNLICENSED)' };
  delete config.info.contact;
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ErrorResponseDto],
    // Every route sets its own operationId (a client generator's method name); this fallback
    // only keeps a forgotten one unique, and the OpenAPI test fails on it.
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  return finishOpenApiDocument(document);
}

export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    customSiteTitle: 'E-commerce API docs',
    swaggerOptions: {
      persistAuthorization: true,
      displayOperationId: true,
      tryItOutEnabled: false,
    },
  });
}
