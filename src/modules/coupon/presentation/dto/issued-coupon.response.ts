import { ApiProperty } from '@nestjs/swagger';
import { IssuedCouponView } from '../../application/issued-coupon.view';
import { DISCOUNT_TYPES } from '../../domain/coupon-terms';
import { ISSUED_COUPON_STATUSES } from '../../domain/issued-coupon';

export class IssuedCouponResponse {
  @ApiProperty({
    example: 7,
    description: 'The issued coupon id (what an order names as issuedCouponId)',
  })
  id!: number;

  @ApiProperty({ example: 1 })
  couponId!: number;

  @ApiProperty({ example: 42 })
  userId!: number;

  @ApiProperty({ example: 'Welcome 10%' })
  name!: string;

  @ApiProperty({ enum: DISCOUNT_TYPES, example: 'RATE' })
  discountType!: string;

  @ApiProperty({ example: 10, description: 'FIXED: KRW off. RATE: percent off.' })
  discountValue!: number;

  @ApiProperty({
    example: 5000,
    nullable: true,
    type: Number,
    description: 'RATE cap in KRW; null for none',
  })
  maxDiscountAmount!: number | null;

  @ApiProperty({
    example: 10000,
    description: 'Smallest order amount (KRW) the coupon may be used on',
  })
  minOrderAmount!: number;

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
      name: terms.name,
      discountType: terms.discountType,
      discountValue: terms.discountValue,
      maxDiscountAmount: terms.maxDiscountAmount,
      minOrderAmount: terms.minOrderAmount,
      status,
      issuedAt: issuedCoupon.issuedAt.toISOString(),
      expiresAt: issuedCoupon.expiresAt.toISOString(),
      usedAt: issuedCoupon.usedAt?.toISOString() ?? null,
    };
  }
}
