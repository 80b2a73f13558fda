import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly, Public } from '../../../common/auth/auth.decorators';
import { ApiErrors } from '../../../common/errors/api-errors.decorator';
import { ValidationFailedError } from '../../../common/errors/common.errors';
import { IdParam } from '../../../common/validation/id-param';
import { ProductService } from '../application/product.service';
import { PRODUCT_STOCK_MAX } from '../domain/product';
import { CreateProductDto } from './dto/create-product.dto';
import { ProductListQueryDto } from './dto/product-list-query.dto';
import { ProductPageResponse, ProductResponse } from './dto/product.response';
import { ProductCursor } from './product-cursor';
import { RestockDto } from './dto/restock.dto';

@ApiTags('products')
@Controller('products')
export class ProductController {
  constructor(private readonly products: ProductService) {}

  @Get()
  @Public()
  @ApiOperation({
    operationId: 'listProducts',
    summary: 'List products, ordered by id',
    description:
      "Page by `page`/`size`, or by `cursor` (keyset: pass the previous answer's `nextCursor`). " +
      'Answers may be up to PRODUCT_LIST_CACHE_MS (default 1 s) old.',
  })
  @ApiOkResponse({ type: ProductPageResponse })
  @ApiErrors(400, 429)
  async list(@Query() query: ProductListQueryDto): Promise<ProductPageResponse> {
    if (query.cursor !== undefined && query.page !== 1) {
      throw new ValidationFailedError([
        { field: 'page', reason: 'page cannot be combined with cursor' },
      ]);
    }
    const afterId = query.cursor === undefined ? undefined : ProductCursor.decode(query.cursor);
    return ProductPageResponse.from(
      await this.products.list({ page: query.page, size: query.size, afterId }),
    );
  }

  @Get(':id')
  @Public()
  @ApiOperation({ operationId: 'getProduct', summary: 'Get one product' })
  @ApiOkResponse({ type: ProductResponse })
  @ApiErrors(400, 'PRODUCT_NOT_FOUND', 429)
  async get(@IdParam('id') id: number): Promise<ProductResponse> {
    return ProductResponse.from(await this.products.get(id));
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
  @ApiErrors(400, 'PRODUCT_NOT_FOUND', 429)
  async restock(@IdParam('id') id: number, @Body() body: RestockDto): Promise<ProductResponse> {
    return ProductResponse.from(await this.products.restock(id, body.quantity));
  }
}
