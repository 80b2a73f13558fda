import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../../common/auth/auth.decorators';
import { Clock } from '../../../common/clock/clock';
import { ApiErrors } from '../../../common/errors/api-errors.decorator';
import { CACHE_HEADERS, cachePublicly, ConditionalGet } from '../../../common/http/http-cache';
import { AppConfig } from '../../../config/app-config';
import { ResponseCache } from '../../../common/http/response-cache';
import { POPULAR_RANKINGS, PopularProductsService } from '../application/popular-products.service';
import { PopularProductResponse } from './dto/popular-product.response';
import { PopularQueryDto } from './dto/popular-query.dto';

@ApiTags('products')
@Controller('products/popular')
export class PopularProductsController {
  /** POPULAR_CACHE_TTL_SECONDS: the age an answer may reach, in this service's cache and beyond. */
  private readonly maxAgeSeconds: number;

  constructor(
    private readonly popular: PopularProductsService,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.maxAgeSeconds = config.popularCacheTtlSeconds;
  }

  @Get()
  @Public()
  @ApiOperation({
    operationId: 'listPopularProducts',
    summary: 'Top sellers of the last days',
    description:
      'Units sold in orders paid within the last `days` UTC calendar days (today included); refunded orders do ' +
      'not count; ties by productId ascending. Sales are counted from the outbox about a second after payment, ' +
      'and an answer may be up to POPULAR_CACHE_TTL_SECONDS (default 60) old (`Cache-Control: public, max-age=N`): ' +
      'this service may serve it from its cache (then with `Age`), and any HTTP cache may keep it for what is ' +
      'left of that time. `ETag` / `If-None-Match` → 304.',
  })
  @ApiOkResponse({ type: [PopularProductResponse], headers: CACHE_HEADERS })
  @ConditionalGet()
  @ApiErrors(400, 429)
  async top(
    @Query() query: PopularQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PopularProductResponse[]> {
    const requestedAt = this.clock.now();
    const ranking = await this.popular.top(query.days, query.limit);
    cachePublicly(reply, this.maxAgeSeconds, {
      readAt: new Date(ranking.computedAt),
      requestedAt,
      now: this.clock.now(),
    });
    ResponseCache.allowReuse(reply.request, {
      tag: POPULAR_RANKINGS,
      readAt: ranking.computedAt,
      until: ranking.reusableUntil,
    });
    return ranking.products;
  }
}
