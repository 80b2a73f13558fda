import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import {
  COUPON_AMOUNT_MAX,
  COUPON_NAME_MAX_LENGTH,
  COUPON_QUANTITY_MAX,
  COUPON_VALID_DAYS_MAX,
  COUPON_WINDOW_EARLIEST,
  COUPON_WINDOW_LATEST,
  FIXED_DISCOUNT_MAX,
  NO_CONTROL_CHARACTERS,
} from '../../domain/coupon';
import { DISCOUNT_TYPES, DiscountType } from '../../domain/coupon-terms';

/** Counted in characters (code points), as the VARCHAR column counts them. */
const NAME_LENGTH = new RegExp(`^[\\s\\S]{1,${COUPON_NAME_MAX_LENGTH}}$`, 'u');

/** A calendar date (UTC midnight) or a date-time with an explicit offset; never a local time. */
const ISO_8601_WITH_ZONE =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const WINDOW_BOUNDS = `From ${COUPON_WINDOW_EARLIEST.toISOString()} to ${COUPON_WINDOW_LATEST.toISOString()} (UTC).`;
const ISO_MESSAGE = (field: string) =>
  `${field} must be an ISO-8601 date-time with a time zone, e.g. 2026-12-01T00:00:00Z`;

export class CreateCouponDto {
  @ApiProperty({ example: 'Welcome 10%', minLength: 1, maxLength: COUPON_NAME_MAX_LENGTH })
  @IsString()
  @Matches(NAME_LENGTH, { message: `name must be 1-${COUPON_NAME_MAX_LENGTH} characters` })
  @Matches(NO_CONTROL_CHARACTERS, { message: 'name must not contain control characters' })
  name!: string;

  @ApiProperty({
    enum: DISCOUNT_TYPES,
    example: 'RATE',
    description: 'FIXED: KRW off. RATE: percent off.',
  })
  @IsIn(DISCOUNT_TYPES)
  discountType!: DiscountType;

  @ApiProperty({
    example: 10,
    minimum: 1,
    maximum: FIXED_DISCOUNT_MAX,
    description: `FIXED: KRW off (1 to ${FIXED_DISCOUNT_MAX}). RATE: percent off (1 to 100), floored to whole KRW.`,
  })
  @IsInt()
  @Min(1)
  @Max(FIXED_DISCOUNT_MAX)
  discountValue!: number;

  @ApiPropertyOptional({
    example: 5000,
    minimum: 1,
    maximum: COUPON_AMOUNT_MAX,
    nullable: true,
    type: Number,
    description:
      'RATE only: the largest discount in KRW. Leave out for no cap (and for FIXED coupons).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(COUPON_AMOUNT_MAX)
  maxDiscountAmount?: number | null;

  @ApiPropertyOptional({
    example: 10000,
    minimum: 0,
    maximum: COUPON_AMOUNT_MAX,
    default: 0,
    nullable: true,
    type: 'integer',
    description: 'The smallest order amount (KRW) the coupon may be used on',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(COUPON_AMOUNT_MAX)
  minOrderAmount?: number | null;

  @ApiProperty({
    example: 100,
    minimum: 1,
    maximum: COUPON_QUANTITY_MAX,
    description: 'How many may be issued',
  })
  @IsInt()
  @Min(1)
  @Max(COUPON_QUANTITY_MAX)
  totalQuantity!: number;

  @ApiPropertyOptional({
    example: '2026-12-01T00:00:00Z',
    format: 'date-time',
    nullable: true,
    type: String,
    description:
      'Issuing opens at this instant (inclusive). Leave out to open at once. ' + WINDOW_BOUNDS,
  })
  @IsOptional()
  @IsString()
  @IsISO8601({ strict: true }, { message: ISO_MESSAGE('issueStartsAt') })
  @Matches(ISO_8601_WITH_ZONE, { message: ISO_MESSAGE('issueStartsAt') })
  issueStartsAt?: string | null;

  @ApiPropertyOptional({
    example: '2026-12-31T15:00:00Z',
    format: 'date-time',
    nullable: true,
    type: String,
    description:
      'Issuing closes at this instant (exclusive); must be after issueStartsAt. Leave out to never close. ' +
      WINDOW_BOUNDS,
  })
  @IsOptional()
  @IsString()
  @IsISO8601({ strict: true }, { message: ISO_MESSAGE('issueEndsAt') })
  @Matches(ISO_8601_WITH_ZONE, { message: ISO_MESSAGE('issueEndsAt') })
  issueEndsAt?: string | null;

  @ApiProperty({
    example: 30,
    minimum: 1,
    maximum: COUPON_VALID_DAYS_MAX,
    description: 'An issued coupon expires this many days after it is issued',
  })
  @IsInt()
  @Min(1)
  @Max(COUPON_VALID_DAYS_MAX)
  validDays!: number;
}
