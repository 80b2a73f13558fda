import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

export class IssueCouponDto {
  @ApiProperty({ example: 1, minimum: 1, description: 'The coupon to issue a copy of' })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  couponId!: number;
}
