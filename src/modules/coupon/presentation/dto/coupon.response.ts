import { ApiProperty } from '@nestjs/swagger';
import { Coupon } from '../../domain/coupon';
import { CouponTermsResponse } from './coupon-terms.response';

export class CouponResponse extends CouponTermsResponse {
  @ApiProperty({ example: 1 })
  id!: number;

  @ApiProperty({ example: 100 })
  totalQuantity!: number;

  @ApiProperty({ example: 42 })
  issuedQuantity!: number;

  @ApiProperty({ example: 58 })
  remainingQuantity!: number;

  @ApiProperty({
    example: '2026-12-01T00:00:00.000Z',
    nullable: true,
    type: String,
    format: 'date-time',
  })
  issueStartsAt!: string | null;

  @ApiProperty({
    example: '2026-12-31T15:00:00.000Z',
    nullable: true,
    type: String,
    format: 'date-time',
  })
  issueEndsAt!: string | null;

  @ApiProperty({ example: 30, description: 'Days an issued copy stays valid' })
  validDays!: number;

  @ApiProperty({ example: '2026-11-25T12:00:00.000Z', format: 'date-time' })
  createdAt!: string;

  static from(coupon: Coupon): CouponResponse {
    const { terms } = coupon;
    return {
      id: coupon.id,
      ...CouponTermsResponse.termsOf(terms),
      totalQuantity: coupon.totalQuantity,
      issuedQuantity: coupon.issuedQuantity,
      remainingQuantity: coupon.remainingQuantity,
      issueStartsAt: coupon.issueStartsAt?.toISOString() ?? null,
      issueEndsAt: coupon.issueEndsAt?.toISOString() ?? null,
      validDays: coupon.validDays,
      createdAt: coupon.createdAt.toISOString(),
    };
  }
}
