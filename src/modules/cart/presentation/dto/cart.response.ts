import { ApiProperty } from '@nestjs/swagger';
import { PricedCart } from '../../domain/cart';
import { PricedCartLine } from '../../domain/cart-line';

export class CartItemResponse {
  @ApiProperty({ example: 1 })
  productId!: number;

  @ApiProperty({ example: 'Wireless Earbuds', description: "The product's current name" })
  name!: string;

  @ApiProperty({ example: 89000, description: "KRW, the product's current price" })
  price!: number;

  @ApiProperty({ example: 2 })
  quantity!: number;

  @ApiProperty({ example: 178000, description: 'price × quantity' })
  amount!: number;

  @ApiProperty({
    example: 120,
    description: 'Units in stock now; may be below quantity (checkout would then fail)',
  })
  stock!: number;

  static from(line: PricedCartLine): CartItemResponse {
    return {
      productId: line.productId,
      name: line.name,
      price: line.price,
      quantity: line.quantity,
      amount: line.amount,
      stock: line.stock,
    };
  }
}

export class CartResponse {
  @ApiProperty({ type: [CartItemResponse], description: 'Ordered by productId' })
  items!: CartItemResponse[];

  @ApiProperty({ example: 178000, description: 'KRW, sum of the amounts' })
  totalAmount!: number;

  static from(cart: PricedCart): CartResponse {
    return { items: cart.items.map(CartItemResponse.from), totalAmount: cart.totalAmount };
  }
}
