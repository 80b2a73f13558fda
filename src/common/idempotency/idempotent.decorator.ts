import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ApiErrors } from '../errors/api-errors.decorator';
import { IdempotencyKeyInProgressError, IdempotencyKeyReusedError } from './idempotency.errors';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/** Marks a POST route as accepting `Idempotency-Key` (contract: Idempotency). */
export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Optional, 1-100 printable ASCII characters. For 24 h the same key with the same request returns the first ' +
        'response, status and body, without doing the work again (header `Idempotent-Replayed: true`): a business ' +
        'refusal such as 409 INSUFFICIENT_BALANCE is replayed too. Only a request refused before it ran (400, 401, ' +
        '403, 409 IDEMPOTENCY_KEY_IN_PROGRESS, 429, 5xx) leaves its key unused, so its retry runs afresh.',
      schema: { type: 'string', minLength: 1, maxLength: 100 },
    }),
    ApiErrors(IdempotencyKeyInProgressError, IdempotencyKeyReusedError),
  );
