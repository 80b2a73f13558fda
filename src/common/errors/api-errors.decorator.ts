import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ERROR_STATUS, ErrorCode } from './error-code';
import { ErrorResponseDto } from './error-response.dto';

const GENERIC_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  429: 'TOO_MANY_REQUESTS',
};

/**
 * Documents the error answers of a route: each status with the standard error body and the
 * contract codes it can carry. Accepts codes (`'OUT_OF_STOCK'`) or bare statuses (`401`).
 */
export function ApiErrors(...errors: Array<ErrorCode | number>) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const error of errors) {
    const code = typeof error === 'number' ? GENERIC_CODES[error] : error;
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ...[...byStatus].map(([status, codes]) =>
      ApiResponse({
        status,
        type: ErrorResponseDto,
        description: `Error codes: ${codes.map((code) => `\`${code}\``).join(', ')}`,
      }),
    ),
  );
}
