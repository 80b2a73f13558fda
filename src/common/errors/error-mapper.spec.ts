import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
} from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { QueryFailedError } from 'typeorm';
import { OutOfStockError, ProductNotFoundError } from '../../modules/product';
import {
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
} from '../idempotency/idempotency.errors';
import {
  ForbiddenError,
  ServiceUnavailableError,
  UnauthorizedError,
  ValidationFailedError,
} from './common.errors';
import { ERROR_STATUS } from './error-code';
import { mapError } from './error-mapper';

/** An error as Fastify raises it before a handler runs. */
function fastifyError(code: string, statusCode: number, message = 'fastify says no'): Error {
  return Object.assign(new Error(message), { code, statusCode });
}

function queryFailed(driverError: Record<string, unknown>): QueryFailedError {
  return new QueryFailedError(
    'SELECT * FROM secret_table',
    [],
    Object.assign(new Error(String(driverError.message)), driverError),
  );
}

describe('mapError', () => {
  it('maps each domain error to the status of its code, with message and details', () => {
    const error = new OutOfStockError(3, 5, 2);
    expect(mapError(error)).toEqual({
      status: 409,
      code: 'OUT_OF_STOCK',
      message: 'Product 3 has 2 in stock, 5 requested',
      details: [{ field: 'items', reason: 'product 3: requested 5, in stock 2' }],
      unexpected: false,
    });
  });

  it.each([
    [new ValidationFailedError([{ field: 'amount', reason: 'bad' }]), 400, 'VALIDATION_FAILED'],
    [new UnauthorizedError(), 401, 'UNAUTHORIZED'],
    [new ForbiddenError(), 403, 'FORBIDDEN'],
    [new ProductNotFoundError(9), 404, 'PRODUCT_NOT_FOUND'],
    [new IdempotencyKeyInProgressError(), 409, 'IDEMPOTENCY_KEY_IN_PROGRESS'],
    [new IdempotencyKeyReusedError(), 422, 'IDEMPOTENCY_KEY_REUSED'],
    [new ServiceUnavailableError(), 503, 'SERVICE_UNAVAILABLE'],
  ])('maps %p', (error, status, code) => {
    expect(mapError(error)).toMatchObject({ status, code, unexpected: false });
  });

  it('has a status for every contract code', () => {
    expect(ERROR_STATUS).toMatchObject({
      VALIDATION_FAILED: 400,
      UNAUTHORIZED: 401,
      FORBIDDEN: 403,
      NOT_FOUND: 404,
      PRODUCT_NOT_FOUND: 404,
      COUPON_NOT_FOUND: 404,
      ISSUED_COUPON_NOT_FOUND: 404,
      ORDER_NOT_FOUND: 404,
      OUT_OF_STOCK: 409,
      INSUFFICIENT_BALANCE: 409,
      BALANCE_LIMIT_EXCEEDED: 409,
      COUPON_SOLD_OUT: 409,
      COUPON_ALREADY_ISSUED: 409,
      COUPON_NOT_ISSUABLE: 409,
      COUPON_NOT_USABLE: 409,
      ORDER_NOT_PAYABLE: 409,
      ORDER_NOT_CANCELLABLE: 409,
      CART_EMPTY: 409,
      IDEMPOTENCY_KEY_IN_PROGRESS: 409,
      IDEMPOTENCY_KEY_REUSED: 422,
      TOO_MANY_REQUESTS: 429,
      INTERNAL_ERROR: 500,
      SERVICE_UNAVAILABLE: 503,
    });
  });

  it('maps the throttler to 429 TOO_MANY_REQUESTS', () => {
    expect(mapError(new ThrottlerException())).toMatchObject({
      status: 429,
      code: 'TOO_MANY_REQUESTS',
      unexpected: false,
    });
  });

  it('maps an unknown route to 404 NOT_FOUND without echoing the route', () => {
    const mapped = mapError(new NotFoundException('Cannot GET /api/v1/<script>'));
    expect(mapped).toMatchObject({ status: 404, code: 'NOT_FOUND', unexpected: false });
    expect(mapped.message).not.toContain('<script>');
  });

  it('maps Nest HTTP exceptions by status', () => {
    expect(mapError(new BadRequestException('nope'))).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'nope',
    });
    expect(mapError(new ForbiddenException())).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(mapError(new HttpException('x'.repeat(500), 400)).message).toBe('Request rejected');
  });

  it('maps a Nest HTTP exception of a status outside the contract to 500', () => {
    expect(mapError(new InternalServerErrorException('db password is hunter2'))).toMatchObject({
      status: 500,
      code: 'INTERNAL_ERROR',
      message: 'An unexpected error occurred',
      unexpected: true,
    });
  });

  it.each([
    ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 413, 'PAYLOAD_TOO_LARGE'],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['FST_ERR_CTP_EMPTY_JSON_BODY', 400, 400, 'VALIDATION_FAILED'],
    ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, 400, 'VALIDATION_FAILED'],
    ['FST_ERR_BAD_URL', 400, 400, 'VALIDATION_FAILED'],
    ['FST_ERR_MAX_PARAM_LENGTH', 414, 400, 'VALIDATION_FAILED'],
  ])('maps the Fastify error %s (%d) to %d %s', (fstCode, statusCode, status, code) => {
    const mapped = mapError(fastifyError(fstCode, statusCode, "internal detail '/x/%zz'"));
    expect(mapped).toMatchObject({ status, code, unexpected: false });
    expect(mapped.message).not.toContain('internal detail');
  });

  it('maps a JSON syntax error from the body parser to 400 VALIDATION_FAILED, details naming the body', () => {
    const syntax = Object.assign(new SyntaxError('Unexpected token } in JSON at position 7'), {
      statusCode: 400,
    });
    expect(mapError(syntax)).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'The request body is not valid JSON',
      details: [{ field: 'body', reason: 'The request body is not valid JSON' }],
      unexpected: false,
    });
  });

  it('maps a prototype-poisoning body to 400', () => {
    const poison = Object.assign(new SyntaxError('Object contains forbidden prototype property'), {
      statusCode: 400,
    });
    expect(mapError(poison)).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'body', reason: expect.any(String) }],
    });
  });

  it.each([
    'ECONNREFUSED',
    'PROTOCOL_CONNECTION_LOST',
    'ER_CON_COUNT_ERROR',
    'POOL_CLOSED',
    'POOL_ACQUIRE_TIMEOUT',
  ])('maps the connection error %s to 503 SERVICE_UNAVAILABLE', (code) => {
    const raw = Object.assign(new Error(`connect ${code} 10.0.0.5:3306`), { code });
    for (const error of [raw, queryFailed({ code, message: raw.message })]) {
      const mapped = mapError(error);
      expect(mapped).toMatchObject({
        status: 503,
        code: 'SERVICE_UNAVAILABLE',
        unexpected: false,
      });
      expect(mapped.message).not.toContain('3306');
    }
  });

  it.each([
    [1053, 'ER_SERVER_SHUTDOWN'],
    [1317, 'ER_QUERY_INTERRUPTED'],
    [1927, undefined],
  ])('maps the server error %s (the server going away) to 503', (errno, code) => {
    expect(mapError(queryFailed({ errno, code, message: 'Connection was killed' }))).toMatchObject({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      unexpected: false,
    });
  });

  it('maps a fatal driver error to 503', () => {
    expect(mapError(Object.assign(new Error('boom'), { fatal: true }))).toMatchObject({
      status: 503,
    });
  });

  it('maps an unexpected SQL error to 500 without its text', () => {
    const mapped = mapError(
      queryFailed({
        code: 'ER_NO_SUCH_TABLE',
        errno: 1146,
        message: "Table 'secret_table' doesn't exist",
      }),
    );
    expect(mapped).toEqual({
      status: 500,
      code: 'INTERNAL_ERROR',
      message: 'An unexpected error occurred',
      unexpected: true,
    });
  });

  it.each([
    ['a plain Error', new Error('secret internals')],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a string', 'thrown string'],
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a 5xx Fastify error', fastifyError('FST_ERR_SOMETHING', 500)],
    [
      'a 4xx error that is not Fastify and not JSON',
      Object.assign(new Error('x'), { statusCode: 400 }),
    ],
  ])('maps %s to 500 INTERNAL_ERROR, marked unexpected', (_label, error) => {
    expect(mapError(error)).toEqual({
      status: 500,
      code: 'INTERNAL_ERROR',
      message: 'An unexpected error occurred',
      unexpected: true,
    });
  });
});
