import { ValidationFailedError } from '../../../common/errors/common.errors';

/** A line may ask for what one order line may (the contract): 1 to 1,000 units. */
export const MAX_CART_LINE_QUANTITY = 1_000;

/** What the cart needs to know of a product to price a line: its live name, price and stock. */
export interface CartProduct {
  id: number;
  name: string;
  price: number;
  stock: number;
}

/** A line priced with the product as it is now (not a promise: checkout prices it again). */
export interface PricedCartLine {
  productId: number;
  name: string;
  price: number;
  quantity: number;
  amount: number;
  stock: number;
}

/**
 * One product in a cart and how many units of it the user wants. The quantity may be above the
 * product's stock: the cart shows the stock, and checkout is where stock is enforced.
 */
export class CartLine {
  constructor(
    readonly productId: number,
    readonly quantity: number,
  ) {
    CartLine.assertProductId(productId);
    CartLine.assertQuantity(quantity);
  }

  static assertQuantity(quantity: number): void {
    if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > MAX_CART_LINE_QUANTITY) {
      throw new ValidationFailedError([
        {
          field: 'quantity',
          reason: `quantity must be an integer from 1 to ${MAX_CART_LINE_QUANTITY}`,
        },
      ]);
    }
  }

  static assertProductId(productId: number): void {
    if (!Number.isSafeInteger(productId) || productId < 1) {
      throw new ValidationFailedError([
        { field: 'productId', reason: 'productId must be a positive integer' },
      ]);
    }
  }

  withQuantity(quantity: number): CartLine {
    return new CartLine(this.productId, quantity);
  }

  /** The line at the product's current price: amount = price × quantity. */
  priceWith(product: CartProduct): PricedCartLine {
    if (product.id !== this.productId) {
      throw new Error(`product ${product.id} does not price the line of product ${this.productId}`);
    }
    return {
      productId: this.productId,
      name: product.name,
      price: product.price,
      quantity: this.quantity,
      amount: product.price * this.quantity,
      stock: product.stock,
    };
  }
}
