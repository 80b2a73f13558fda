import { Body, Controller, Get, Post, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AdminOnly, Public } from '../../../common/auth/auth.decorators';
import { ApiErrors } from '../../../common/errors/api-errors.decorator';
import {
  ALWAYS_CURRENT,
  CACHE_HEADERS,
  cachePublicly,
  ConditionalGet,
} from '../../../common/http/http-cache';
import { IdParam } from '../../../common/validation/id-param';
import { CouponService } from '../application/coupon.service';
import { CouponNotFoundError } from '../domain/errors/coupon-not-found.error';
import { CouponResponse } from './dto/coupon.response';
import { CreateCouponDto } from './dto/create-coupon.dto';

@ApiTags('coupons')
@Controller('coupons')
export class CouponController {
  constructor(private readonly coupons: CouponService) {}

  @Post()
  @AdminOnly()
  @ApiOperation({ operationId: 'createCoupon', summary: 'Create a first-come coupon (admin)' })
  @ApiBody({
    type: CreateCouponDto,
    examples: {
      rate: {
        summary: '10% off, at most 5,000 KRW, on orders from 10,000 KRW, 100 copies',
        value: {
          name: 'Welcome 10%',
          discountType: 'RATE',
          discountValue: 10,
          maxDiscountAmount: 5000,
          minOrderAmount: 10000,
          totalQuantity: 100,
          validDays: 30,
        },
      },
      fixedWithWindow: {
        summary: '3,000 KRW off, issued during December only',
        value: {
          name: 'December 3,000 KRW',
          discountType: 'FIXED',
          discountValue: 3000,
          totalQuantity: 500,
          issueStartsAt: '2026-12-01T00:00:00Z',
          issueEndsAt: '2027-01-01T00:00:00Z',
          validDays: 14,
        },
      },
    },
  })
  @ApiCreatedResponse({ type: CouponResponse })
  @ApiErrors(400, 429)
  async create(@Body() body: CreateCouponDto): Promise<CouponResponse> {
    const coupon = await this.coupons.create({
      name: body.name,
      discountType: body.discountType,
      discountValue: body.discountValue,
      maxDiscountAmount: body.maxDiscountAmount,
      minOrderAmount: body.minOrderAmount,
      totalQuantity: body.totalQuantity,
      issueStartsAt: toDate(body.issueStartsAt),
      issueEndsAt: toDate(body.issueEndsAt),
      validDays: body.validDays,
    });
    return CouponResponse.from(coupon);
  }

  @Get(':couponId')
  @Public()
  @ApiOperation({
    operationId: 'getCoupon',
    summary: 'Get a coupon with how many are issued and remain',
    description: ALWAYS_CURRENT,
  })
  @ApiOkResponse({ type: CouponResponse, headers: CACHE_HEADERS })
  @ConditionalGet()
  @ApiErrors(400, CouponNotFoundError, 429)
  async get(
    @IdParam('couponId') couponId: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CouponResponse> {
    const coupon = await this.coupons.get(couponId);
    cachePublicly(reply, 0);
    return CouponResponse.from(coupon);
  }
}

function toDate(value: string | null | undefined): Date | null {
  return value === null || value === undefined ? null : new Date(value);
}
