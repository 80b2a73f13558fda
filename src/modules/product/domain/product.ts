import { ValidationFailedError } from '../../../common/errors/common.errors';
import { OutOfStockError } from './errors/out-of-stock.error';

export const PRODUCT_NAME_MAX_LENGTH = 200;
export const PRODUCT_PRICE_MAX = 1_000_000_000;
export const PRODUCT_STOCK_MAX = 1_000_000_000;

/** A product not saved yet: what `Product.validateNew` returns and `ProductRepository.create` stores. */
export interface NewProduct {
  name: string;
  price: number;
  stock: number;
}

export interface ProductProps extends NewProduct {
  id: number;
  reserved: number;
}

/**
 * A product with its price (KRW), the units left to sell, and the units that orders hold
 * (`reserved`: taken by orders that are pending or paid, and given back if they are cancelled
 * or expire). Stock plus reserved units never exceeds PRODUCT_STOCK_MAX, so units that come back
 * always fit: nothing is ever clamped away.
 */
export class Product {
  readonly id: number;
  readonly name: string;
  readonly price: number;
  private _stock: number;
  private _reserved: number;

  constructor(props: ProductProps) {
    this.id = props.id;
    this.name = props.name;
    this.price = props.price;
    this._stock = props.stock;
    this._reserved = props.reserved;
  }

  get stock(): number {
    return this._stock;
  }

  get reserved(): number {
    return this._reserved;
  }

  /** Checks a new product's fields; returns them normalised (name trimmed). */
  static validateNew(draft: NewProduct): NewProduct {
    const name = draft.name.trim();
    const problems = [];
    if (name.length === 0 || name.length > PRODUCT_NAME_MAX_LENGTH) {
      problems.push({
        field: 'name',
        reason: `name must be 1-${PRODUCT_NAME_MAX_LENGTH} characters`,
      });
    }
    if (!isIntIn(draft.price, 0, PRODUCT_PRICE_MAX)) {
      problems.push({
        field: 'price',
        reason: `price must be an integer from 0 to ${PRODUCT_PRICE_MAX}`,
      });
    }
    if (!isIntIn(draft.stock, 0, PRODUCT_STOCK_MAX)) {
      problems.push({
        field: 'stock',
        reason: `stock must be an integer from 0 to ${PRODUCT_STOCK_MAX}`,
      });
    }
    if (problems.length > 0) throw new ValidationFailedError(problems);
    return { name, price: draft.price, stock: draft.stock };
  }

  /** Takes `quantity` units out of stock for an order; all or nothing. */
  reserve(quantity: number): void {
    assertPositiveInt(quantity);
    if (quantity > this._stock) throw new OutOfStockError(this.id, quantity, this._stock);
    this._stock -= quantity;
    this._reserved += quantity;
  }

  /** Puts an order's units back (it was cancelled or expired): all of them, never clamped. */
  release(quantity: number): void {
    assertPositiveInt(quantity);
    if (quantity > this._reserved) {
      throw new Error(
        `product ${this.id}: releasing ${quantity} units, but orders hold only ${this._reserved}`,
      );
    }
    this._reserved -= quantity;
    this._stock += quantity;
  }

  /**
   * Adds delivered units. Refused when stock plus the units orders hold would pass
   * PRODUCT_STOCK_MAX: those units may come back, and there must be room for them.
   */
  restock(quantity: number): void {
    assertPositiveInt(quantity);
    const room = PRODUCT_STOCK_MAX - this._stock - this._reserved;
    if (quantity > room) {
      throw new ValidationFailedError([
        {
          field: 'quantity',
          reason:
            `at most ${room} units can be added: stock ${this._stock} plus ${this._reserved} units held by ` +
            `pending or paid orders (which come back if those are cancelled) may not pass ${PRODUCT_STOCK_MAX}`,
        },
      ]);
    }
    this._stock += quantity;
  }
}

function isIntIn(value: number, min: number, max: number): boolean {
  return Number.isSafeInteger(value) && value >= min && value <= max;
}

function assertPositiveInt(quantity: number): void {
  if (!Number.isSafeInteger(quantity) || quantity < 1) {
    throw new ValidationFailedError([
      { field: 'quantity', reason: 'quantity must be a positive integer' },
    ]);
  }
}
