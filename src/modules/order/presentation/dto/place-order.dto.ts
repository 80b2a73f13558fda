import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsObject,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { MAX_LINE_QUANTITY, MAX_ORDER_LINES } from '../../domain/order-line';
import { IssuedCouponIdProperty } from './issued-coupon-id.property';

export class OrderItemDto {
  @ApiProperty({ example: 1, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  productId!: number;

  @ApiProperty({ example: 2, minimum: 1, maximum: MAX_LINE_QUANTITY })
  @IsInt()
  @Min(1)
  @Max(MAX_LINE_QUANTITY)
  quantity!: number;
}

export class PlaceOrderDto {
  @ApiProperty({ example: 1, minimum: 1, description: 'Must be the caller (unless admin)' })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  userId!: number;

  @ApiProperty({
    type: [OrderItemDto],
    minItems: 1,
    maxItems: MAX_ORDER_LINES,
    description: 'Each product at most once',
    example: [
      { productId: 1, quantity: 2 },
      { productId: 3, quantity: 1 },
    ],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ORDER_LINES)
  // Without this, an element that is itself an array ([[{ productId, quantity }]]) passes
  // @ValidateNested (it validates the inner elements) and reaches the service as a line without fields.
  @IsObject({ each: true, message: 'each item must be an object { productId, quantity }' })
  @ArrayUnique((item: OrderItemDto) => item?.productId, {
    message: 'items must not repeat a productId',
  })
  @ValidateNested({ each: true })
  @Type(() => OrderItemDto)
  items!: OrderItemDto[];

  @IssuedCouponIdProperty()
  issuedCouponId?: number | null;
}
