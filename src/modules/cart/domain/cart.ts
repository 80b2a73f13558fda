import { ValidationFailedError } from '../../../common/errors/common.errors';
import { CartLine, CartProduct, PricedCartLine } from './cart-line';
import { CartEmptyError } from './errors/cart-empty.error';

/** A cart holds at most as many products as one order may: any cart can be checked out at once. */
export const MAX_CART_LINES = 50;

export interface PricedCart {
  items: PricedCartLine[];
  totalAmount: number;
}

export interface CartProps {
  /** Its identity: a user has one cart (no rows reads as an empty one). */
  userId: number;
  lines: readonly CartLine[];
}

/**
 * A user's cart: at most one line per product, at most MAX_CART_LINES lines. Lines are always
 * listed in ascending product id (the order in which their rows are locked).
 */
export class Cart {
  readonly userId: number;
  private readonly byProduct = new Map<number, CartLine>();

  constructor({ userId, lines }: CartProps) {
    this.userId = userId;
    for (const line of lines) {
      if (this.byProduct.has(line.productId)) {
        throw new Error(`cart of user ${userId} has product ${line.productId} twice`);
      }
      this.byProduct.set(line.productId, line);
    }
  }

  get lines(): CartLine[] {
    return [...this.byProduct.values()].sort((a, b) => a.productId - b.productId);
  }

  get size(): number {
    return this.byProduct.size;
  }

  get isEmpty(): boolean {
    return this.byProduct.size === 0;
  }

  has(productId: number): boolean {
    return this.byProduct.has(productId);
  }

  /**
   * Sets the product's line to `quantity`, adding the line if absent, and returns it. A new
   * product beyond MAX_CART_LINES is refused (VALIDATION_FAILED) and the cart is left as it was.
   */
  set(productId: number, quantity: number): CartLine {
    const existing = this.byProduct.get(productId);
    if (!existing && this.byProduct.size >= MAX_CART_LINES) {
      throw new ValidationFailedError([
        {
          field: 'productId',
          reason: `the cart already holds ${MAX_CART_LINES} products, the most one order can take; remove one first`,
        },
      ]);
    }
    const line = existing ? existing.withQuantity(quantity) : new CartLine(productId, quantity);
    this.byProduct.set(productId, line);
    return line;
  }

  /** Removes the product's line; false when there was none. */
  remove(productId: number): boolean {
    return this.byProduct.delete(productId);
  }

  clear(): void {
    this.byProduct.clear();
  }

  /**
   * The lines a checkout orders: every line, or only those of `productIds` that are in the cart
   * (ids not in it are ignored). Nothing to order is CART_EMPTY.
   */
  linesToCheckOut(productIds?: readonly number[]): CartLine[] {
    const wanted = productIds ? new Set(productIds) : null;
    const lines = this.lines.filter((line) => !wanted || wanted.has(line.productId));
    if (lines.length === 0) throw new CartEmptyError(this.userId, productIds);
    return lines;
  }

  /**
   * Prices every line with the product as it is now. A line whose product no longer exists is
   * left out (it cannot be shown with a name or price, and checking it out would fail).
   */
  priceWith(products: readonly CartProduct[]): PricedCart {
    const byId = new Map(products.map((product) => [product.id, product]));
    const items = this.lines.flatMap((line) => {
      const product = byId.get(line.productId);
      return product ? [line.priceWith(product)] : [];
    });
    return { items, totalAmount: items.reduce((sum, item) => sum + item.amount, 0) };
  }
}
