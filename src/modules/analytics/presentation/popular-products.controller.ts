import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../../common/auth/auth.decorators';
import { ApiErrors } from '../../../common/errors/api-errors.decorator';
import { PopularProductsService } from '../application/popular-products.service';
import { PopularProductResponse } from './dto/popular-product.response';
import { PopularQueryDto } from './dto/popular-query.dto';

@ApiTags('products')
@Controller('products/popular')
export class PopularProductsController {
  constructor(private readonly popular: PopularProductsService) {}

  @Get()
  @Public()
  @ApiOperation({
    operationId: 'listPopularProducts',
    summary: 'Top sellers of the last days',
    description:
      'Units sold in orders paid within the last `days` UTC calendar days (today included); refunded orders do ' +
      'not count; ties by productId ascending. Sales are counted from the outbox about a second after payment, ' +
      'and answers may be cached for up to POPULAR_CACHE_TTL_SECONDS (default 60).',
  })
  @ApiOkResponse({ type: [PopularProductResponse] })
  @ApiErrors(400, 429)
  top(@Query() query: PopularQueryDto): Promise<PopularProductResponse[]> {
    return this.popular.top(query.days, query.limit);
  }
}
