import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ERRORS } from './error-code';

@ApiSchema({ name: 'ErrorDetail', description: 'One invalid field and why it was rejected' })
export class ErrorDetailDto {
  @ApiProperty({
    example: 'amount',
    description: 'The field, dotted for nested ones (`items.0.quantity`)',
  })
  field!: string;

  @ApiProperty({ example: 'amount must not be greater than 10000000' })
  reason!: string;
}

/** The one body of every error answer. */
@ApiSchema({
  name: 'ErrorResponse',
  description:
    'The body of every error answer, from validation to an unexpected crash. Branch on `code`, not on ' +
    '`message` (human readable, may change). No stack trace or SQL ever appears in it.',
})
export class ErrorResponseDto {
  @ApiProperty({ type: 'integer', example: 409, description: 'The HTTP status, repeated' })
  statusCode!: number;

  @ApiProperty({
    enum: ERRORS.map((error) => error.code),
    example: 'OUT_OF_STOCK',
    description: 'Machine-readable error code; each response lists the codes it can carry',
  })
  code!: string;

  @ApiProperty({ example: 'Product 3 has 2 in stock, 5 requested' })
  message!: string;

  @ApiPropertyOptional({
    type: [ErrorDetailDto],
    description: 'VALIDATION_FAILED: each invalid field and the reason; other codes may add detail',
  })
  details?: ErrorDetailDto[];

  @ApiProperty({
    example: '/api/v1/orders',
    description: 'The request path, without the query string',
  })
  path!: string;

  @ApiProperty({ example: '2026-11-25T12:00:00.000Z', format: 'date-time' })
  timestamp!: string;
}
