import { BalanceLimitExceededError } from '../../modules/balance/domain/errors/balance-limit-exceeded.error';
import { InsufficientBalanceError } from '../../modules/balance/domain/errors/insufficient-balance.error';
import { CartEmptyError } from '../../modules/cart/domain/errors/cart-empty.error';
import { CouponAlreadyIssuedError } from '../../modules/coupon/domain/errors/coupon-already-issued.error';
import { CouponNotFoundError } from '../../modules/coupon/domain/errors/coupon-not-found.error';
import { CouponNotIssuableError } from '../../modules/coupon/domain/errors/coupon-not-issuable.error';
import { CouponNotUsableError } from '../../modules/coupon/domain/errors/coupon-not-usable.error';
import { CouponSoldOutError } from '../../modules/coupon/domain/errors/coupon-sold-out.error';
import { IssuedCouponNotFoundError } from '../../modules/coupon/domain/errors/issued-coupon-not-found.error';
import { OrderNotCancellableError } from '../../modules/order/domain/errors/order-not-cancellable.error';
import { OrderNotFoundError } from '../../modules/order/domain/errors/order-not-found.error';
import { OrderNotPayableError } from '../../modules/order/domain/errors/order-not-payable.error';
import { OutOfStockError } from '../../modules/product/domain/errors/out-of-stock.error';
import { ProductNotFoundError } from '../../modules/product/domain/errors/product-not-found.error';
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
import type { ErrorDefinition } from './contract-error';
import {
  HeadersTooLargeError,
  InternalError,
  PayloadTooLargeError,
  RequestTimeoutError,
  RouteNotFoundError,
  TooManyRequestsError,
  UnsupportedMediaTypeError,
} from './http.errors';

/**
 * The registry: every error of the HTTP contract, in the order the API document lists them.
 * Each class defines its code, status, description and example (see `ContractError`); what
 * follows is derived from them. The module errors are imported from their own files, not the
 * front doors: an error file imports only the error bases, so this list closes no import cycle.
 */
export const ERRORS = [
  ValidationFailedError,
  UnauthorizedError,
  ForbiddenError,
  RouteNotFoundError,
  ProductNotFoundError,
  CouponNotFoundError,
  IssuedCouponNotFoundError,
  OrderNotFoundError,
  RequestTimeoutError,
  OutOfStockError,
  InsufficientBalanceError,
  BalanceLimitExceededError,
  CouponSoldOutError,
  CouponAlreadyIssuedError,
  CouponNotIssuableError,
  CouponNotUsableError,
  OrderNotPayableError,
  OrderNotCancellableError,
  CartEmptyError,
  IdempotencyKeyInProgressError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  IdempotencyKeyReusedError,
  TooManyRequestsError,
  HeadersTooLargeError,
  InternalError,
  ServiceUnavailableError,
] as const satisfies readonly ErrorDefinition[];

export type ErrorCode = (typeof ERRORS)[number]['code'];

/** A registered error class: one whose code is in `ERRORS`. */
export type RegisteredError = ErrorDefinition & { readonly code: ErrorCode };

/** Every code with the status it is answered with. */
export const ERROR_STATUS = Object.fromEntries(
  ERRORS.map((error) => [error.code, error.status]),
) as Record<ErrorCode, number>;
