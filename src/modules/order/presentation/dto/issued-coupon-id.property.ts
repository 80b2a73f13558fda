import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The optional `issuedCouponId` of an order, as POST /orders and the cart checkout take it. */
export const IssuedCouponIdProperty = () =>
  applyDecorators(
    ApiPropertyOptional({
      example: 10,
      minimum: 1,
      nullable: true,
      type: 'integer',
      description: 'An AVAILABLE issued coupon of the user',
    }),
    IsOptional(),
    IsInt(),
    Min(1),
    Max(Number.MAX_SAFE_INTEGER),
  );
