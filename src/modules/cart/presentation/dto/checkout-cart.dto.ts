import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { MAX_CART_LINES } from '../../domain/cart';
import { IssuedCouponIdProperty } from '../../../order';

export class CheckoutCartDto {
  @ApiPropertyOptional({
    type: [Number],
    minItems: 1,
    maxItems: MAX_CART_LINES,
    uniqueItems: true,
    example: [1, 3],
    description:
      "Check out only these products' lines (ids not in the cart are ignored). Absent: every line. " +
      'If none of them is in the cart: 409 CART_EMPTY.',
  })
  // Absent means "every line"; an explicit null is not a list and is rejected.
  @ValidateIf((_, value) => value !== undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_CART_LINES)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(Number.MAX_SAFE_INTEGER, { each: true })
  @ArrayUnique({ message: 'productIds must not repeat a product id' })
  productIds?: number[];

  @IssuedCouponIdProperty()
  issuedCouponId?: number | null;
}
