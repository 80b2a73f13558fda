import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ISSUED_COUPON_STATUSES, IssuedCouponStatus } from '../../domain/issued-coupon';

export class ListIssuedCouponsQuery {
  @ApiPropertyOptional({
    enum: ISSUED_COUPON_STATUSES,
    description:
      'Only coupons with this status (an AVAILABLE coupon past its expiresAt is EXPIRED); all without it',
  })
  @IsOptional()
  @IsIn(ISSUED_COUPON_STATUSES)
  status?: IssuedCouponStatus;
}
