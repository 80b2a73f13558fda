import { ApiProperty } from '@nestjs/swagger';
import { IssuedCouponView } from '../../application/issued-coupon.view';
import { CouponTermsResponse } from './coupon-terms.response';
import { ISSUED_COUPON_STATUSES } from '../../domain/issued-coupon';

export class IssuedCouponResponse extends CouponTermsResponse {
  @ApiProperty({
    example: 7,
    description: 'The issued coupon id (what an order names as issuedCouponId)',
  })
  id!: number;

  @ApiProperty({ example: 1 })
  couponId!: number;

  @ApiProperty({ example: 42 })
  userId!: number;

  @ApiProperty({
    enum: ISSUED_COUPON_STATUSES,
    example: 'AVAILABLE',
    description: 'AVAILABLE, USED, or EXPIRED (an unused coupon at or past expiresAt)',
  })
  status!: string;

  @ApiProperty({ example: '2026-11-25T12:00:00.000Z', format: 'date-time' })
  issuedAt!: string;

  @ApiProperty({ example: '2026-12-25T12:00:00.000Z', format: 'date-time' })
  expiresAt!: string;

  @ApiProperty({ example: null, nullable: true, type: String, format: 'date-time' })
  usedAt!: string | null;

  static from({ issuedCoupon, terms, status }: IssuedCouponView): IssuedCouponResponse {
    return {
      id: issuedCoupon.id,
      couponId: issuedCoupon.couponId,
      userId: issuedCoupon.userId,
      ...CouponTermsResponse.termsOf(terms),
      status,
      issuedAt: issuedCoupon.issuedAt.toISOString(),
      expiresAt: issuedCoupon.expiresAt.toISOString(),
      usedAt: issuedCoupon.usedAt?.toISOString() ?? null,
    };
  }
}
