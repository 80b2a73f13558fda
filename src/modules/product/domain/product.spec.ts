import { ValidationFailedError } from '../../../common/errors/common.errors';
import { OutOfStockError } from './errors/out-of-stock.error';
import { Product, PRODUCT_NAME_MAX_LENGTH, PRODUCT_PRICE_MAX, PRODUCT_STOCK_MAX } from './product';

describe('Product', () => {
  const product = (stock: number, reserved = 0) =>
    new Product({ id: 3, name: 'Earbuds', price: 89_000, stock, reserved });

  describe('validateNew', () => {
    it('accepts a valid draft and trims the name', () => {
      expect(Product.validateNew({ name: '  Earbuds  ', price: 89_000, stock: 10 })).toEqual({
        name: 'Earbuds',
        price: 89_000,
        stock: 10,
      });
    });

    it('accepts the bounds: price and stock 0 and their maxima, a name of the maximum length', () => {
      const name = 'x'.repeat(PRODUCT_NAME_MAX_LENGTH);
      expect(Product.validateNew({ name, price: 0, stock: 0 })).toEqual({
        name,
        price: 0,
        stock: 0,
      });
      expect(
        Product.validateNew({ name: 'a', price: PRODUCT_PRICE_MAX, stock: PRODUCT_STOCK_MAX }),
      ).toEqual({
        name: 'a',
        price: PRODUCT_PRICE_MAX,
        stock: PRODUCT_STOCK_MAX,
      });
    });

    it.each([
      ['blank name', { name: '   ', price: 1, stock: 1 }, ['name']],
      [
        'too long name',
        { name: 'x'.repeat(PRODUCT_NAME_MAX_LENGTH + 1), price: 1, stock: 1 },
        ['name'],
      ],
      ['negative price', { name: 'a', price: -1, stock: 1 }, ['price']],
      ['fractional price', { name: 'a', price: 1.5, stock: 1 }, ['price']],
      ['price above the maximum', { name: 'a', price: PRODUCT_PRICE_MAX + 1, stock: 1 }, ['price']],
      ['NaN stock', { name: 'a', price: 1, stock: NaN }, ['stock']],
      ['stock above the maximum', { name: 'a', price: 1, stock: PRODUCT_STOCK_MAX + 1 }, ['stock']],
      ['everything wrong', { name: '', price: -1, stock: 0.5 }, ['name', 'price', 'stock']],
    ])('rejects a %s, naming each bad field', (_label, draft, fields) => {
      let caught: unknown;
      try {
        Product.validateNew(draft);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ValidationFailedError);
      expect((caught as ValidationFailedError).details?.map((d) => d.field)).toEqual(fields);
    });
  });

  describe('reserve', () => {
    it('takes the units out of stock; the order holds them', () => {
      const p = product(5);
      p.reserve(2);
      expect([p.stock, p.reserved]).toEqual([3, 2]);
      p.reserve(3);
      expect([p.stock, p.reserved]).toEqual([0, 5]);
    });

    it('refuses more than the stock with OUT_OF_STOCK and leaves the stock as it was', () => {
      const p = product(2);
      expect(() => p.reserve(3)).toThrow(OutOfStockError);
      try {
        p.reserve(3);
      } catch (error) {
        expect((error as OutOfStockError).code).toBe('OUT_OF_STOCK');
        expect((error as OutOfStockError).productId).toBe(3);
        expect((error as OutOfStockError).message).toContain('2 in stock, 3 requested');
      }
      expect(p.stock).toBe(2);
    });

    it.each([0, -1, 1.5, NaN, Infinity])('rejects the quantity %p', (quantity) => {
      const p = product(10);
      expect(() => p.reserve(quantity)).toThrow(ValidationFailedError);
      expect(p.stock).toBe(10);
    });
  });

  describe('release', () => {
    it('puts units back from what orders hold', () => {
      const p = product(1);
      p.reserve(1);
      p.release(1);
      expect([p.stock, p.reserved]).toEqual([1, 0]);
    });

    it('never clamps: every unit comes back, even with the stock at the maximum', () => {
      const p = product(PRODUCT_STOCK_MAX - 5, 5);
      p.release(5);
      expect([p.stock, p.reserved]).toEqual([PRODUCT_STOCK_MAX, 0]);
    });

    it('refuses to give back more than orders hold (a bookkeeping error, not client input)', () => {
      const p = product(1, 2);
      expect(() => p.release(3)).toThrow(/orders hold only 2/);
      expect([p.stock, p.reserved]).toEqual([1, 2]);
    });

    it.each([0, -3, 2.5])('rejects the quantity %p', (quantity) => {
      const p = product(1, 5);
      expect(() => p.release(quantity)).toThrow(ValidationFailedError);
      expect(p.stock).toBe(1);
    });
  });

  describe('restock', () => {
    it('adds units', () => {
      const p = product(7);
      p.restock(3);
      expect(p.stock).toBe(10);
    });

    it('may reach the maximum exactly', () => {
      const p = product(PRODUCT_STOCK_MAX - 10);
      p.restock(10);
      expect(p.stock).toBe(PRODUCT_STOCK_MAX);
    });

    it('refuses to go above the maximum, naming the quantity field, and changes nothing', () => {
      const p = product(PRODUCT_STOCK_MAX - 10);
      expect(() => p.restock(11)).toThrow(ValidationFailedError);
      try {
        p.restock(11);
      } catch (error) {
        expect((error as ValidationFailedError).details).toEqual([
          expect.objectContaining({ field: 'quantity' }),
        ]);
      }
      expect(p.stock).toBe(PRODUCT_STOCK_MAX - 10);
    });

    it('keeps room for the units orders hold: they may come back', () => {
      const p = product(PRODUCT_STOCK_MAX - 10, 4);
      expect(() => p.restock(7)).toThrow(ValidationFailedError);
      try {
        p.restock(7);
      } catch (error) {
        expect((error as ValidationFailedError).details).toEqual([
          { field: 'quantity', reason: expect.stringMatching(/^at most 6 units can be added/) },
        ]);
      }
      p.restock(6);
      expect([p.stock, p.reserved]).toEqual([PRODUCT_STOCK_MAX - 4, 4]);
    });

    it.each([0, -1, 0.1])('rejects the quantity %p', (quantity) => {
      const p = product(1);
      expect(() => p.restock(quantity)).toThrow(ValidationFailedError);
      expect(p.stock).toBe(1);
    });
  });
});
