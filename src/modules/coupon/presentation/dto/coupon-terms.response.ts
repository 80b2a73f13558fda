import { ApiProperty } from '@nestjs/swagger';
import { CouponTerms, DISCOUNT_TYPES } from '../../domain/coupon-terms';

/** The discount terms a coupon and each of its issued copies show. */
export abstract class CouponTermsResponse {
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

  static termsOf(terms: CouponTerms): CouponTermsResponse {
    return {
      name: terms.name,
      discountType: terms.discountType,
      discountValue: terms.discountValue,
      maxDiscountAmount: terms.maxDiscountAmount,
      minOrderAmount: terms.minOrderAmount,
    };
  }
}
