import { ValidationFailedError } from '../../../common/errors/common.errors';
import { CartLine, MAX_CART_LINE_QUANTITY } from './cart-line';

function validationFields(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationFailedError);
    return ((error as ValidationFailedError).details ?? []).map((detail) => detail.field);
  }
  throw new Error('expected a ValidationFailedError');
}

describe('CartLine', () => {
  it('is bounded like an order line: 1 to 1,000 units', () => {
    expect(MAX_CART_LINE_QUANTITY).toBe(1_000);
  });

  it.each([1, 2, 999, 1_000])('accepts the quantity %p', (quantity) => {
    expect(new CartLine(7, quantity).quantity).toBe(quantity);
  });

  it.each([0, -1, 1_001, 1.5, NaN, Infinity, Number.MAX_SAFE_INTEGER + 2])(
    'rejects the quantity %p as VALIDATION_FAILED on quantity',
    (quantity) => {
      expect(validationFields(() => new CartLine(7, quantity))).toEqual(['quantity']);
      expect(validationFields(() => CartLine.assertQuantity(quantity))).toEqual(['quantity']);
    },
  );

  it.each([0, -3, 2.5, NaN])('rejects the product id %p', (productId) => {
    expect(validationFields(() => new CartLine(productId, 1))).toEqual(['productId']);
  });

  it('changes its quantity into a new line, keeping the bounds', () => {
    const line = new CartLine(7, 2);
    expect(line.withQuantity(5)).toEqual(new CartLine(7, 5));
    expect(line.quantity).toBe(2);
    expect(() => line.withQuantity(0)).toThrow(ValidationFailedError);
  });

  it('is priced with the product as it is now: amount = price × quantity, stock shown as is', () => {
    const priced = new CartLine(7, 3).priceWith({ id: 7, name: 'Mug', price: 12_000, stock: 1 });
    expect(priced).toEqual({
      productId: 7,
      name: 'Mug',
      price: 12_000,
      quantity: 3,
      amount: 36_000,
      stock: 1,
    });
  });

  it('keeps the largest amount exact (1e9 KRW × 1,000 units)', () => {
    const priced = new CartLine(1, 1_000).priceWith({
      id: 1,
      name: 'x',
      price: 1_000_000_000,
      stock: 0,
    });
    expect(priced.amount).toBe(1_000_000_000_000);
  });

  it('refuses to be priced with another product', () => {
    expect(() => new CartLine(7, 1).priceWith({ id: 8, name: 'x', price: 1, stock: 1 })).toThrow();
  });
});
