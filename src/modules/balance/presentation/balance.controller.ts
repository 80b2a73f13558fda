import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../../common/auth/actor';
import { Authenticated, CurrentActor } from '../../../common/auth/auth.decorators';
import { ApiErrors } from '../../../common/errors/api-errors.decorator';
import { Idempotent } from '../../../common/idempotency/idempotent.decorator';
import { mapPage } from '../../../common/pagination/page';
import { PageQueryDto } from '../../../common/pagination/page-query.dto';
import { IdParam } from '../../../common/validation/id-param';
import { BalanceService } from '../application/balance.service';
import { BalanceLimitExceededError } from '../domain/errors/balance-limit-exceeded.error';
import {
  BalanceEntryResponse,
  BalanceHistoryPageResponse,
  BalanceResponse,
} from './dto/balance.response';
import { ChargeBalanceDto } from './dto/charge-balance.dto';

@ApiTags('balance')
@Authenticated()
@Controller('users/:userId/balance')
export class BalanceController {
  constructor(private readonly balances: BalanceService) {}

  @Get()
  @ApiOperation({
    operationId: 'getBalance',
    summary: "A user's balance (0 for a user who never charged)",
  })
  @ApiOkResponse({ type: BalanceResponse })
  @ApiErrors(400, 403, 429)
  async get(
    @CurrentActor() actor: Actor,
    @IdParam('userId') userId: number,
  ): Promise<BalanceResponse> {
    return BalanceResponse.from(await this.balances.get(actor, userId));
  }

  @Post('charge')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ operationId: 'chargeBalance', summary: 'Add KRW to the balance' })
  @ApiBody({ type: ChargeBalanceDto, examples: { charge50000: { value: { amount: 50000 } } } })
  @ApiOkResponse({ type: BalanceResponse })
  @ApiErrors(400, 403, BalanceLimitExceededError, 429)
  async charge(
    @CurrentActor() actor: Actor,
    @IdParam('userId') userId: number,
    @Body() body: ChargeBalanceDto,
  ): Promise<BalanceResponse> {
    return BalanceResponse.from(await this.balances.charge(actor, userId, body.amount));
  }

  @Get('history')
  @ApiOperation({ operationId: 'getBalanceHistory', summary: 'Balance changes, newest first' })
  @ApiOkResponse({ type: BalanceHistoryPageResponse })
  @ApiErrors(400, 403, 429)
  async history(
    @CurrentActor() actor: Actor,
    @IdParam('userId') userId: number,
    @Query() query: PageQueryDto,
  ): Promise<BalanceHistoryPageResponse> {
    const page = await this.balances.history(actor, userId, query.page, query.size);
    return mapPage(page, BalanceEntryResponse.from);
  }
}
