import { ApiProperty } from '@nestjs/swagger';
import { ProductListing } from '../../application/product.service';
import { ProductCursor } from '../product-cursor';
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

export class ProductPageResponse extends PageResponseDto(ProductResponse, 'ProductPageBase') {
  @ApiProperty({
    example: 1,
    nullable: true,
    type: Number,
    description: 'null when the page was asked for by cursor',
  })
  declare page: number;

  @ApiProperty({
    example: 'cDoyMA',
    nullable: true,
    type: String,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor!: string | null;

  static from(listing: ProductListing): ProductPageResponse {
    return {
      items: listing.items.map(ProductResponse.from),
      page: listing.page as number,
      size: listing.size,
      totalItems: listing.totalItems,
      totalPages: listing.totalPages,
      nextCursor: listing.nextAfterId === null ? null : ProductCursor.encode(listing.nextAfterId),
    };
  }
}
