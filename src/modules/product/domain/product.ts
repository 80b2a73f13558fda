import { ValidationFailedError } from '../../../common/errors/common.errors';
import { OutOfStockError } from './errors/out-of-stock.error';

export const PRODUCT_NAME_MAX_LENGTH = 200;
export const PRODUCT_PRICE_MAX = 1_000_000_000;
export const PRODUCT_STOCK_MAX = 1_000_000_000;

export interface NewProduct {
  name: string;
  price: number;
  stock: number;
}

/** A product with its price (KRW) and the units left to sell. */
export class Product {
  constructor(
    readonly id: number,
    readonly name: string,
    readonly price: number,
    private _stock: number,
  ) {}

  get stock(): number {
    return this._stock;
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
  }

  /** Puts units back (a cancelled or expired order). */
  release(quantity: number): void {
    assertPositiveInt(quantity);
    this._stock = Math.min(this._stock + quantity, PRODUCT_STOCK_MAX);
  }

  /** Adds delivered units; the stock never exceeds PRODUCT_STOCK_MAX. */
  restock(quantity: number): void {
    assertPositiveInt(quantity);
    if (this._stock + quantity > PRODUCT_STOCK_MAX) {
      throw new ValidationFailedError([
        {
          field: 'quantity',
          reason: `stock would become ${this._stock + quantity}, above the maximum of ${PRODUCT_STOCK_MAX}`,
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
