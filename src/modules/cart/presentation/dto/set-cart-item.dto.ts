import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { MAX_CART_LINE_QUANTITY } from '../../domain/cart-line';

export class SetCartItemDto {
  @ApiProperty({
    example: 2,
    minimum: 1,
    maximum: MAX_CART_LINE_QUANTITY,
    description: "Units wanted (replaces the line's quantity). May be above the current stock.",
  })
  @IsInt()
  @Min(1)
  @Max(MAX_CART_LINE_QUANTITY)
  quantity!: number;
}
