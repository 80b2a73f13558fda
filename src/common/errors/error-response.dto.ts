import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_STATUS } from './error-code';

export class ErrorDetailDto {
  @ApiProperty({ example: 'amount' })
  field!: string;

  @ApiProperty({ example: 'amount must not be greater than 10000000' })
  reason!: string;
}

/** The one body of every error answer. */
export class ErrorResponseDto {
  @ApiProperty({ example: 409 })
  statusCode!: number;

  @ApiProperty({ enum: Object.keys(ERROR_STATUS), example: 'OUT_OF_STOCK' })
  code!: string;

  @ApiProperty({ example: 'Product 3 has 2 in stock, 5 requested' })
  message!: string;

  @ApiPropertyOptional({ type: [ErrorDetailDto] })
  details?: ErrorDetailDto[];

  @ApiProperty({ example: '/api/v1/orders' })
  path!: string;

  @ApiProperty({ example: '2026-11-25T12:00:00.000Z' })
  timestamp!: string;
}
