import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AdminOnly, Public } from '../../../common/auth/auth.decorators';
import { Clock } from '../../../common/clock/clock';
import { ApiErrors } from '../../../common/errors/api-errors.decorator';
import { ValidationFailedError } from '../../../common/errors/common.errors';
import {
  ALWAYS_CURRENT,
  CACHE_HEADERS,
  cachePublicly,
  ConditionalGet,
} from '../../../common/http/http-cache';
import { IdParam } from '../../../common/validation/id-param';
import {
  PRODUCT_LIST_MAX_AGE_SECONDS,
  ProductService,
  PRODUCT_PAGES,
} from '../application/product.service';
import { ProductNotFoundError } from '../domain/errors/product-not-found.error';
import { PRODUCT_STOCK_MAX } from '../domain/product';
import { CreateProductDto } from './dto/create-product.dto';
import { ProductListQueryDto } from './dto/product-list-query.dto';
import { ProductPageResponse, ProductResponse } from './dto/product.response';
import { ProductCursor } from './product-cursor';
import { RestockDto } from './dto/restock.dto';
import { ResponseCache } from '../../../common/http/response-cache';

@ApiTags('products')
@Controller('products')
export class ProductController {
  constructor(
    private readonly products: ProductService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    operationId: 'listProducts',
    summary: 'List products, ordered by id',
    description:
      "Page by `page`/`size`, or by `cursor` (keyset: pass the previous answer's `nextCursor`). " +
      'A page may be up to 1 s old (`Cache-Control: public, max-age=1`): this process may serve it from its page ' +
      'cache (PRODUCT_LIST_CACHE_MS, then with `Age`), and any HTTP cache may keep it for what is left of that ' +
      'second. `ETag` / `If-None-Match` → 304.',
  })
  @ApiOkResponse({ type: ProductPageResponse, headers: CACHE_HEADERS })
  @ConditionalGet()
  @ApiErrors(400, 429)
  async list(
    @Query() query: ProductListQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductPageResponse> {
    if (query.cursor !== undefined && query.page !== 1) {
      throw new ValidationFailedError([
        { field: 'page', reason: 'page cannot be combined with cursor' },
      ]);
    }
    const afterId = query.cursor === undefined ? undefined : ProductCursor.decode(query.cursor);
    const requestedAt = this.clock.now();
    const listing = await this.products.list({ page: query.page, size: query.size, afterId });
    cachePublicly(reply, PRODUCT_LIST_MAX_AGE_SECONDS, {
      readAt: listing.asOf,
      requestedAt,
      now: this.clock.now(),
    });
    ResponseCache.allowReuse(reply.request, {
      tag: PRODUCT_PAGES,
      readAt: listing.asOf.getTime(),
      until: listing.reusableUntil.getTime(),
    });
    return ProductPageResponse.from(listing);
  }

  @Get(':id')
  @Public()
  @ApiOperation({
    operationId: 'getProduct',
    summary: 'Get one product',
    description: ALWAYS_CURRENT,
  })
  @ApiOkResponse({ type: ProductResponse, headers: CACHE_HEADERS })
  @ConditionalGet()
  @ApiErrors(400, ProductNotFoundError, 429)
  async get(
    @IdParam('id') id: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductResponse> {
    const product = await this.products.get(id);
    cachePublicly(reply, 0);
    return ProductResponse.from(product);
  }

  @Post()
  @AdminOnly()
  @ApiOperation({ operationId: 'createProduct', summary: 'Create a product (admin)' })
  @ApiBody({
    type: CreateProductDto,
    examples: { earbuds: { value: { name: 'Wireless Earbuds', price: 89000, stock: 100 } } },
  })
  @ApiCreatedResponse({ type: ProductResponse })
  @ApiErrors(400, 429)
  async create(@Body() body: CreateProductDto): Promise<ProductResponse> {
    return ProductResponse.from(await this.products.create(body));
  }

  @Post(':id/stock')
  @HttpCode(200)
  @AdminOnly()
  @ApiOperation({
    operationId: 'restockProduct',
    summary: 'Add units to a product (admin)',
    description:
      'Stock plus the units held by pending or paid orders (which come back when those are cancelled or ' +
      `expire) may not pass ${PRODUCT_STOCK_MAX}: a restock that would leave no room for them is 400 ` +
      'VALIDATION_FAILED on `quantity`, saying how many units can still be added. Returned units are never clamped.',
  })
  @ApiBody({ type: RestockDto, examples: { fiftyUnits: { value: { quantity: 50 } } } })
  @ApiOkResponse({ type: ProductResponse })
  @ApiErrors(400, ProductNotFoundError, 429)
  async restock(@IdParam('id') id: number, @Body() body: RestockDto): Promise<ProductResponse> {
    return ProductResponse.from(await this.products.restock(id, body.quantity));
  }
}
