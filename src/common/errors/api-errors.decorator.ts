import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ERROR_STATUS, ErrorCode, ErrorDetail } from './error-code';
import { ErrorResponseDto } from './error-response.dto';

const GENERIC_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

interface ErrorCodeDoc {
  /** When the code is answered (the contract's "when" column). */
  when: string;
  /** A typical message and details, for the document's examples. */
  message: string;
  details?: ErrorDetail[];
}

/** What each code means, for the document: response descriptions and examples. */
export const ERROR_CODE_DOCS: Record<ErrorCode, ErrorCodeDoc> = {
  VALIDATION_FAILED: {
    when: 'the body, query or path is invalid; `details` lists each field and reason',
    message: 'Request validation failed',
    details: [{ field: 'size', reason: 'size must not be greater than 100' }],
  },
  UNAUTHORIZED: {
    when: 'the bearer token is missing, malformed, badly signed or expired',
    message: 'A valid bearer token is required',
  },
  FORBIDDEN: {
    when: "someone else's resource, or an admin-only route, without an admin token",
    message: 'You may not access this resource',
  },
  NOT_FOUND: { when: 'no such route', message: 'No such route' },
  PRODUCT_NOT_FOUND: { when: 'no product has this id', message: 'Product 1 does not exist' },
  COUPON_NOT_FOUND: { when: 'no coupon has this id', message: 'Coupon 1 does not exist' },
  ISSUED_COUPON_NOT_FOUND: {
    when: 'no issued coupon has this id',
    message: 'Issued coupon 10 does not exist',
  },
  ORDER_NOT_FOUND: { when: 'no order has this id', message: 'Order 42 does not exist' },
  OUT_OF_STOCK: {
    when: 'an order line asks for more than the stock; nothing is reserved',
    message: 'Product 3 has 2 in stock, 5 requested',
    details: [{ field: 'items', reason: 'product 3: requested 5, in stock 2' }],
  },
  INSUFFICIENT_BALANCE: {
    when: 'the balance is below the amount to pay; the order stays payable',
    message: 'The balance is 1000 KRW; 168000 KRW is needed',
  },
  BALANCE_LIMIT_EXCEEDED: {
    when: 'a charge would push the balance over BALANCE_MAX (default 1,000,000,000); refunds never do',
    message:
      'Adding 50000 KRW to a balance of 999990000 KRW would exceed the maximum of 1000000000 KRW',
  },
  COUPON_SOLD_OUT: {
    when: "all of the coupon's quantity is issued",
    message: 'All of coupon 1 has been issued',
  },
  COUPON_ALREADY_ISSUED: {
    when: 'the user already holds this coupon',
    message: 'User 1 already holds coupon 1',
  },
  COUPON_NOT_ISSUABLE: {
    when: "outside the coupon's issue window",
    message: 'Coupon 1 cannot be issued now: issuing opens at 2026-12-01T00:00:00.000Z',
  },
  COUPON_NOT_USABLE: {
    when: "the coupon is used, expired, not the user's, or the order is below its minimum",
    message: 'The coupon cannot be used: it has already been used',
  },
  ORDER_NOT_PAYABLE: {
    when: 'the order is not PENDING_PAYMENT (paid, cancelled, expired)',
    message: 'Order 42 cannot be paid: it is PAID',
  },
  ORDER_NOT_CANCELLABLE: {
    when: 'the order is already cancelled or expired',
    message: 'Order 42 is CANCELLED and cannot be cancelled',
  },
  CART_EMPTY: {
    when: 'nothing to check out: the cart is empty, or none of `productIds` is in it',
    message: 'The cart of user 1 is empty',
  },
  IDEMPOTENCY_KEY_IN_PROGRESS: {
    when: 'a request with the same Idempotency-Key is still being processed',
    message: 'A request with this Idempotency-Key is still being processed; retry shortly',
  },
  PAYLOAD_TOO_LARGE: {
    when: 'the body is larger than 64 KiB',
    message: 'The request body is too large',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    when: 'a body is sent with a Content-Type other than application/json',
    message: 'Content-Type must be application/json',
  },
  REQUEST_TIMEOUT: {
    when: 'the request did not arrive completely in time (the connection is closed)',
    message: 'The request took too long to arrive',
  },
  HEADERS_TOO_LARGE: {
    when: 'the request line and headers together exceed 16 KiB (the connection is closed)',
    message: 'The request headers or URL are too large',
  },
  IDEMPOTENCY_KEY_REUSED: {
    when: 'the Idempotency-Key was already used with a different request',
    message: 'This Idempotency-Key was already used with a different request',
  },
  TOO_MANY_REQUESTS: {
    when: 'the rate limit (RATE_LIMIT_PER_MINUTE per user or client address) is used up',
    message: 'Too many requests; slow down',
  },
  INTERNAL_ERROR: {
    when: 'anything unexpected (logged with the request id from `X-Request-Id`, never shown)',
    message: 'An unexpected error occurred',
  },
  SERVICE_UNAVAILABLE: {
    when: 'the database is unreachable or a row stayed locked too long; retry (see `Retry-After`)',
    message: 'The database is unavailable; retry shortly',
  },
};

/** An example error body for `code`, answered on `path`. */
export function errorExample(code: ErrorCode, path: string) {
  const { message, details } = ERROR_CODE_DOCS[code];
  return {
    statusCode: ERROR_STATUS[code],
    code,
    message,
    ...(details ? { details } : {}),
    path,
    timestamp: '2026-11-25T12:00:00.000Z',
  };
}

/**
 * Documents the error answers of a route: each status with the standard error body and the
 * contract codes it can carry. Accepts codes (`'OUT_OF_STOCK'`) or bare statuses (`401`).
 *
 * The codes travel as one named example per code; Nest merges the examples of several
 * decorators on the same status (say `@Idempotent()`'s 409 and the route's own 409), and
 * `buildOpenApiDocument` turns them into the response's `code` enum and description.
 * 429, 500 and 503 (every route) and 413/415 (routes with a body) are added there too.
 */
export function ApiErrors(...errors: Array<ErrorCode | number>) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const error of errors) {
    const code = typeof error === 'number' ? GENERIC_CODES[error] : error;
    if (!code) throw new Error(`ApiErrors: no generic error code for status ${error}`);
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ...[...byStatus].map(([status, codes]) =>
      ApiResponse({
        status,
        type: ErrorResponseDto,
        description: '',
        examples: Object.fromEntries(
          codes.map((code) => [code, { summary: code, value: errorExample(code, '') }]),
        ),
      }),
    ),
  );
}
