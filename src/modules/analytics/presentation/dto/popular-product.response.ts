import { ApiProperty } from '@nestjs/swagger';

export class PopularProductResponse {
  @ApiProperty({ example: 1 })
  rank!: number;

  @ApiProperty({ example: 3 })
  productId!: number;

  @ApiProperty({ example: 'USB-C Charger 65W' })
  name!: string;

  @ApiProperty({ example: 39000, description: 'Current price, KRW' })
  price!: number;

  @ApiProperty({
    example: 128,
    description: 'Units sold in paid, not refunded orders in the window',
  })
  soldQuantity!: number;
}
