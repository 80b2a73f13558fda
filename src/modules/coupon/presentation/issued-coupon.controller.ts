import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../../common/auth/actor';
import { Authenticated, CurrentActor } from '../../../common/auth/auth.decorators';
import { ApiErrors } from '../../../common/errors/api-errors.decorator';
import { ServiceUnavailableError } from '../../../common/errors/common.errors';
import { IdParam } from '../../../common/validation/id-param';
import { CouponService } from '../application/coupon.service';
import { CouponAlreadyIssuedError } from '../domain/errors/coupon-already-issued.error';
import { CouponNotFoundError } from '../domain/errors/coupon-not-found.error';
import { CouponNotIssuableError } from '../domain/errors/coupon-not-issuable.error';
import { CouponSoldOutError } from '../domain/errors/coupon-sold-out.error';
import { IssueCouponDto } from './dto/issue-coupon.dto';
import { IssuedCouponResponse } from './dto/issued-coupon.response';
import { ListIssuedCouponsQuery } from './dto/list-issued-coupons.query';

@ApiTags('coupons')
@Authenticated()
@Controller('users/:userId/coupons')
export class IssuedCouponController {
  constructor(private readonly coupons: CouponService) {}

  @Post()
  @ApiOperation({
    operationId: 'issueCoupon',
    summary: 'Issue a coupon to a user: first come, first served, one per user',
  })
  @ApiBody({ type: IssueCouponDto, examples: { coupon1: { value: { couponId: 1 } } } })
  @ApiCreatedResponse({ type: IssuedCouponResponse })
  @ApiErrors(
    400,
    403,
    CouponNotFoundError,
    CouponSoldOutError,
    CouponAlreadyIssuedError,
    CouponNotIssuableError,
    429,
    ServiceUnavailableError,
  )
  async issue(
    @CurrentActor() actor: Actor,
    @IdParam('userId') userId: number,
    @Body() body: IssueCouponDto,
  ): Promise<IssuedCouponResponse> {
    return IssuedCouponResponse.from(await this.coupons.issue(actor, userId, body.couponId));
  }

  @Get()
  @ApiOperation({ operationId: 'listIssuedCoupons', summary: "A user's coupons, newest first" })
  @ApiOkResponse({ type: [IssuedCouponResponse] })
  @ApiErrors(400, 403, 429)
  async list(
    @CurrentActor() actor: Actor,
    @IdParam('userId') userId: number,
    @Query() query: ListIssuedCouponsQuery,
  ): Promise<IssuedCouponResponse[]> {
    const views = await this.coupons.listIssued(actor, userId, query.status);
    return views.map(IssuedCouponResponse.from);
  }
}
