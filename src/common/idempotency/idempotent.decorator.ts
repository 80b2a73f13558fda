import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ApiErrors } from '../errors/api-errors.decorator';
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
        'successful response without doing the work again (header `Idempotent-Replayed: true`). A failed request ' +
        'does not use up its key.',
      schema: { type: 'string', minLength: 1, maxLength: 100 },
    }),
    ApiErrors('IDEMPOTENCY_KEY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED'),
  );
