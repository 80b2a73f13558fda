import { ValidationFailedError } from '../../../common/errors/common.errors';
import { MAX_LINE_QUANTITY, MAX_ORDER_LINES } from '../../order';
import { Cart, MAX_CART_LINES } from './cart';
import { CartLine, MAX_CART_LINE_QUANTITY } from './cart-line';
import { CartEmptyError } from './errors/cart-empty.error';

const lines = (...pairs: Array<[number, number]>) =>
  pairs.map(([productId, quantity]) => new CartLine(productId, quantity));
const fullCart = () =>
  new Cart({
    userId: 1,
    lines: Array.from({ length: MAX_CART_LINES }, (_, i) => new CartLine(i + 1, 1)),
  });

describe('Cart', () => {
  it('holds at most as many products as one order may take (50)', () => {
    expect(MAX_CART_LINES).toBe(MAX_ORDER_LINES);
    expect(MAX_CART_LINES).toBe(50);
  });

  it('lets a line ask for what one order line may (1,000)', () => {
    expect(MAX_CART_LINE_QUANTITY).toBe(MAX_LINE_QUANTITY);
  });

  it('lists its lines by ascending product id', () => {
    const cart = new Cart({ userId: 1, lines: lines([9, 1], [2, 3], [5, 2]) });
    expect(cart.lines.map((line) => line.productId)).toEqual([2, 5, 9]);
    expect(cart.size).toBe(3);
    expect(cart.isEmpty).toBe(false);
    expect(new Cart({ userId: 1, lines: [] }).isEmpty).toBe(true);
  });

  it('refuses to be built with a product twice', () => {
    expect(() => new Cart({ userId: 1, lines: lines([2, 1], [2, 3]) })).toThrow();
  });

  describe('set', () => {
    it('adds a line that is absent', () => {
      const cart = new Cart({ userId: 1, lines: [] });
      expect(cart.set(4, 2)).toEqual(new CartLine(4, 2));
      expect(cart.lines).toEqual(lines([4, 2]));
    });

    it("replaces an existing line's quantity (sets, does not add)", () => {
      const cart = new Cart({ userId: 1, lines: lines([4, 2]) });
      cart.set(4, 7);
      expect(cart.lines).toEqual(lines([4, 7]));
    });

    it('rejects a bad quantity and leaves the cart as it was', () => {
      const cart = new Cart({ userId: 1, lines: lines([4, 2]) });
      expect(() => cart.set(4, 0)).toThrow(ValidationFailedError);
      expect(() => cart.set(5, 1_001)).toThrow(ValidationFailedError);
      expect(cart.lines).toEqual(lines([4, 2]));
    });

    it('accepts a 50th product and refuses a 51st with VALIDATION_FAILED, changing nothing', () => {
      const cart = new Cart({
        userId: 1,
        lines: Array.from({ length: MAX_CART_LINES - 1 }, (_, i) => new CartLine(i + 1, 1)),
      });
      cart.set(100, 1);
      expect(cart.size).toBe(MAX_CART_LINES);

      let caught: unknown;
      try {
        cart.set(101, 1);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ValidationFailedError);
      expect((caught as ValidationFailedError).details).toEqual([
        { field: 'productId', reason: expect.stringContaining('50') },
      ]);
      expect(cart.size).toBe(MAX_CART_LINES);
      expect(cart.has(101)).toBe(false);
    });

    it('still changes the quantity of a line of a full cart', () => {
      const cart = fullCart();
      cart.set(1, 9);
      expect(cart.lines[0]).toEqual(new CartLine(1, 9));
    });
  });

  describe('remove and clear', () => {
    it('removes a line, and says false for a line that is not there', () => {
      const cart = new Cart({ userId: 1, lines: lines([1, 1], [2, 2]) });
      expect(cart.remove(1)).toBe(true);
      expect(cart.remove(1)).toBe(false);
      expect(cart.lines).toEqual(lines([2, 2]));
    });

    it('frees a line for another product', () => {
      const cart = fullCart();
      cart.remove(3);
      expect(() => cart.set(200, 1)).not.toThrow();
    });

    it('clears every line', () => {
      const cart = new Cart({ userId: 1, lines: lines([1, 1], [2, 2]) });
      cart.clear();
      expect(cart.isEmpty).toBe(true);
    });
  });

  describe('linesToCheckOut', () => {
    const cart = new Cart({ userId: 7, lines: lines([3, 1], [1, 2], [2, 5]) });

    it('takes every line, by ascending product id, without productIds', () => {
      expect(cart.linesToCheckOut()).toEqual(lines([1, 2], [2, 5], [3, 1]));
    });

    it('takes only the named lines, ignoring ids that are not in the cart', () => {
      expect(cart.linesToCheckOut([3, 1, 99])).toEqual(lines([1, 2], [3, 1]));
    });

    it('is CART_EMPTY for an empty cart', () => {
      const error = (() => {
        try {
          new Cart({ userId: 7, lines: [] }).linesToCheckOut();
        } catch (e) {
          return e as CartEmptyError;
        }
        throw new Error('expected CART_EMPTY');
      })();
      expect(error).toBeInstanceOf(CartEmptyError);
      expect(error.code).toBe('CART_EMPTY');
      expect(error.message).toContain('empty');
    });

    it('is CART_EMPTY when none of the named products is in the cart', () => {
      expect(() => cart.linesToCheckOut([98, 99])).toThrow(CartEmptyError);
    });
  });

  describe('priceWith', () => {
    it('prices each line live and totals them', () => {
      const cart = new Cart({ userId: 1, lines: lines([2, 3], [1, 2]) });
      const priced = cart.priceWith([
        { id: 1, name: 'A', price: 1_000, stock: 10 },
        { id: 2, name: 'B', price: 2_500, stock: 1 },
      ]);
      expect(priced).toEqual({
        items: [
          { productId: 1, name: 'A', price: 1_000, quantity: 2, amount: 2_000, stock: 10 },
          { productId: 2, name: 'B', price: 2_500, quantity: 3, amount: 7_500, stock: 1 },
        ],
        totalAmount: 9_500,
      });
    });

    it('is an empty list with total 0 for an empty cart', () => {
      expect(new Cart({ userId: 1, lines: [] }).priceWith([])).toEqual({
        items: [],
        totalAmount: 0,
      });
    });

    it('leaves out a line whose product no longer exists', () => {
      const cart = new Cart({ userId: 1, lines: lines([1, 1], [2, 1]) });
      expect(cart.priceWith([{ id: 2, name: 'B', price: 5, stock: 0 }])).toEqual({
        items: [{ productId: 2, name: 'B', price: 5, quantity: 1, amount: 5, stock: 0 }],
        totalAmount: 5,
      });
    });

    it('keeps the largest possible total exact (50 lines of 1e9 KRW × 1,000)', () => {
      const cart = fullCart();
      for (const line of cart.lines) cart.set(line.productId, 1_000);
      const products = cart.lines.map((line) => ({
        id: line.productId,
        name: 'x',
        price: 1_000_000_000,
        stock: 0,
      }));
      expect(cart.priceWith(products).totalAmount).toBe(50 * 1_000_000_000_000);
      expect(Number.isSafeInteger(cart.priceWith(products).totalAmount)).toBe(true);
    });
  });
});
