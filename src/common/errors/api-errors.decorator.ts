import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { ErrorDefinition } from './contract-error';
import type { RegisteredError } from './error-code';
import { ErrorResponseDto } from './error-response.dto';
import { ErrorStatus, STATUS_ERRORS } from './status-errors';

const BY_STATUS = new Map<number, ErrorDefinition>(
  STATUS_ERRORS.map((error) => [error.status, error]),
);

/** An example error body of `error`, answered on `path`. */
export function errorExample(error: ErrorDefinition, path: string) {
  const { message, details } = error.example();
  return {
    statusCode: error.status,
    code: error.code,
    message,
    ...(details ? { details } : {}),
    path,
    timestamp: '2026-11-25T12:00:00.000Z',
  };
}

/**
 * Documents the error answers of a route: each status with the standard error body and the
 * contract codes it can carry. Accepts error classes (`OutOfStockError`; a class outside the
 * registry, `ERRORS`, does not compile) or bare statuses standing for their generic error
 * (`403`: `ForbiddenError`, see `STATUS_ERRORS`).
 *
 * The codes travel as one named example per code; Nest merges the examples of several
 * decorators on the same status (say `@Idempotent()`'s 409 and the route's own 409), and
 * `buildOpenApiDocument` turns them into the response's `code` enum and description.
 * 429, 500 and 503 (every route) and 413/415 (routes with a body) are added there too.
 */
export function ApiErrors(...errors: Array<RegisteredError | ErrorStatus>) {
  const byStatus = new Map<number, ErrorDefinition[]>();
  for (const error of errors) {
    const definition = typeof error === 'number' ? BY_STATUS.get(error)! : error;
    byStatus.set(definition.status, [...(byStatus.get(definition.status) ?? []), definition]);
  }
  return applyDecorators(
    ...[...byStatus].map(([status, definitions]) =>
      ApiResponse({
        status,
        type: ErrorResponseDto,
        description: '',
        examples: Object.fromEntries(
          definitions.map((definition) => [
            definition.code,
            { summary: definition.code, value: errorExample(definition, '') },
          ]),
        ),
      }),
    ),
  );
}
