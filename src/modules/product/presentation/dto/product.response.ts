import { ApiProperty } from '@nestjs/swagger';
import { PageResponseDto } from '../../../../common/pagination/page-response.dto';
import { Product } from '../../domain/product';

export class ProductResponse {
  @ApiProperty({ example: 1 })
  id!: number;

  @ApiProperty({ example: 'Wireless Earbuds' })
  name!: string;

  @ApiProperty({ example: 89000, description: 'KRW' })
  price!: number;

  @ApiProperty({ example: 120 })
  stock!: number;

  static from(product: Product): ProductResponse {
    return { id: product.id, name: product.name, price: product.price, stock: product.stock };
  }
}

export class ProductPageResponse extends PageResponseDto(ProductResponse, 'ProductPageBase') {}
