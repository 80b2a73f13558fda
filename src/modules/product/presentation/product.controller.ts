import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly, Public } from '../../../common/auth/auth.decorators';
import { ApiErrors } from '../../../common/errors/api-errors.decorator';
import { mapPage } from '../../../common/pagination/page';
import { PageQueryDto } from '../../../common/pagination/page-query.dto';
import { IdParam } from '../../../common/validation/id-param';
import { ProductService } from '../application/product.service';
import { CreateProductDto } from './dto/create-product.dto';
import { ProductPageResponse, ProductResponse } from './dto/product.response';
import { RestockDto } from './dto/restock.dto';

@ApiTags('products')
@Controller('products')
export class ProductController {
  constructor(private readonly products: ProductService) {}

  @Get()
  @Public()
  @ApiOperation({ operationId: 'listProducts', summary: 'List products, ordered by id' })
  @ApiOkResponse({ type: ProductPageResponse })
  @ApiErrors(400, 429)
  async list(@Query() query: PageQueryDto): Promise<ProductPageResponse> {
    return mapPage(await this.products.list(query.page, query.size), ProductResponse.from);
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
  @ApiCreatedResponse({ type: ProductResponse })
  @ApiErrors(400, 429)
  async create(@Body() body: CreateProductDto): Promise<ProductResponse> {
    return ProductResponse.from(await this.products.create(body));
  }

  @Post(':id/stock')
  @HttpCode(200)
  @AdminOnly()
  @ApiOperation({ operationId: 'restockProduct', summary: 'Add units to a product (admin)' })
  @ApiOkResponse({ type: ProductResponse })
  @ApiErrors(400, 'PRODUCT_NOT_FOUND', 429)
  async restock(@IdParam('id') id: number, @Body() body: RestockDto): Promise<ProductResponse> {
    return ProductResponse.from(await this.products.restock(id, body.quantity));
  }
}
