import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { PRODUCT_STOCK_MAX } from '../../domain/product';

export class RestockDto {
  @ApiProperty({ example: 50, minimum: 1, maximum: PRODUCT_STOCK_MAX, description: 'Units to add' })
  @IsInt()
  @Min(1)
  @Max(PRODUCT_STOCK_MAX)
  quantity!: number;
}
