import { Actor } from '../../../common/auth/actor';
import { FakeClock } from '../../../../test/support/fake-clock';
import { FakeTransactionRunner } from '../../../../test/support/fake-transaction-runner';
import { ForbiddenError, ValidationFailedError } from '../../../common/errors/common.errors';
import { CouponNotUsableError } from '../../coupon';
import { OrderService, PlaceOrderCommand } from '../../order';
import { Order } from '../../order';
import { orderLine } from '../../order';
import { ProductService, StockLine } from '../../product';
import { OutOfStockError } from '../../product';
import { ProductNotFoundError } from '../../product';
import { Product } from '../../product';
import { MAX_CART_LINES } from '../domain/cart';
import { CartLine } from '../domain/cart-line';
import { CartRepository } from '../domain/cart.repository';
import { CartEmptyError } from '../domain/errors/cart-empty.error';
import { CartService } from './cart.service';

type Rows = Map<number, Map<number, number>>;

/** In-memory port: plain numbers per user and product, so no domain object is shared with it. */
class InMemoryCartRepository extends CartRepository {
  rows: Rows = new Map();
  calls: string[] = [];

  seed(userId: number, ...pairs: Array<[number, number]>): void {
    for (const [productId, quantity] of pairs) this.userRows(userId).set(productId, quantity);
  }

  contents(userId: number): Array<[number, number]> {
    return [...this.userRows(userId)].sort(([a], [b]) => a - b);
  }

  snapshot(): Rows {
    return new Map([...this.rows].map(([userId, lines]) => [userId, new Map(lines)]));
  }

  private userRows(userId: number): Map<number, number> {
    if (!this.rows.has(userId)) this.rows.set(userId, new Map());
    return this.rows.get(userId)!;
  }

  private linesOf(userId: number, productIds?: readonly number[]): CartLine[] {
    return this.contents(userId)
      .filter(([productId]) => !productIds || productIds.includes(productId))
      .map(([productId, quantity]) => new CartLine(productId, quantity));
  }

  async findLines(userId: number): Promise<CartLine[]> {
    return this.linesOf(userId);
  }

  async findLinesForUpdate(userId: number, productIds?: readonly number[]): Promise<CartLine[]> {
    this.calls.push(`lock ${userId}${productIds ? ` [${productIds.join(',')}]` : ''}`);
    return this.linesOf(userId, productIds);
  }

  async upsertLine(userId: number, line: CartLine): Promise<void> {
    this.calls.push(`upsert ${userId} ${line.productId}=${line.quantity}`);
    this.userRows(userId).set(line.productId, line.quantity);
  }

  async deleteLines(userId: number, productIds: readonly number[]): Promise<number> {
    this.calls.push(`delete ${userId} [${productIds.join(',')}]`);
    return productIds.filter((id) => this.userRows(userId).delete(id)).length;
  }

  async deleteAll(userId: number): Promise<void> {
    this.calls.push(`delete-all ${userId}`);
    this.rows.delete(userId);
  }
}

/** The product module's service, as far as the cart uses it, over a mutable catalogue. */
class FakeProductService {
  catalogue = new Map<number, { name: string; price: number; stock: number }>();

  add(id: number, name: string, price: number, stock: number): void {
    this.catalogue.set(id, { name, price, stock });
  }

  private product(id: number): Product | null {
    const row = this.catalogue.get(id);
    return row ? new Product({ id, ...row, reserved: 0 }) : null;
  }

  async get(id: number): Promise<Product> {
    const product = this.product(id);
    if (!product) throw new ProductNotFoundError(id);
    return product;
  }

  async findMany(ids: number[]): Promise<Product[]> {
    return ids.map((id) => this.product(id)).filter((p): p is Product => p !== null);
  }

  async assertAvailable(lines: StockLine[]): Promise<Product[]> {
    const products: Product[] = [];
    for (const line of lines) {
      const product = await this.get(line.productId);
      if (line.quantity > product.stock)
        throw new OutOfStockError(product.id, line.quantity, product.stock);
      products.push(product);
    }
    return products;
  }
}

/** The order module's use cases: take stock from the fake catalogue, or fail as told. */
class FakeOrderService {
  placed: PlaceOrderCommand[] = [];
  failWith: Error | null = null;
  /** What the plain-read check refuses with (an unusable coupon, say). */
  refuseWith: Error | null = null;

  constructor(
    private readonly products: FakeProductService,
    private readonly log: string[],
  ) {}

  async assertPlaceable(command: PlaceOrderCommand): Promise<void> {
    this.log.push(`check [${command.items.map((i) => `${i.productId}x${i.quantity}`).join(',')}]`);
    await this.products.assertAvailable(command.items);
    if (this.refuseWith) throw this.refuseWith;
  }

  async placeInTransaction(command: PlaceOrderCommand): Promise<Order> {
    this.log.push(`place [${command.items.map((i) => `${i.productId}x${i.quantity}`).join(',')}]`);
    if (this.failWith) throw this.failWith;
    const items = command.items.map((line) => {
      const product = this.products.catalogue.get(line.productId)!;
      product.stock -= line.quantity;
      return orderLine({ id: line.productId, ...product }, line.quantity);
    });
    this.placed.push(command);
    const placed = Order.place({
      userId: command.userId,
      items,
      discountAmount: 0,
      issuedCouponId: command.issuedCouponId ?? null,
      now: new Date('2026-11-25T12:00:00.000Z'),
      paymentTtlSeconds: 600,
    });
    return new Order({ ...placed, id: this.placed.length });
  }
}

describe('CartService', () => {
  const owner = new Actor(1, false);
  const stranger = new Actor(2, false);
  const admin = new Actor(99, true);
  let carts: InMemoryCartRepository;
  let products: FakeProductService;
  let orders: FakeOrderService;
  let transactions: FakeTransactionRunner;
  let service: CartService;

  beforeEach(() => {
    carts = new InMemoryCartRepository();
    products = new FakeProductService();
    products.add(10, 'Mug', 1_000, 5);
    products.add(20, 'Pen', 300, 100);
    products.add(30, 'Lamp', 25_000, 1);
    orders = new FakeOrderService(products, carts.calls);
    // A rollback puts the fake tables back as they were, as the database would.
    transactions = new FakeTransactionRunner(() => {
      const cartRows = carts.snapshot();
      const stock = new Map([...products.catalogue].map(([id, p]) => [id, p.stock]));
      return () => {
        carts.rows = cartRows;
        for (const [id, s] of stock) products.catalogue.get(id)!.stock = s;
      };
    });
    service = new CartService(
      carts,
      products as unknown as ProductService,
      orders as unknown as OrderService,
      transactions.runner,
      new FakeClock(),
    );
  });

  describe('get', () => {
    it('is an empty cart with total 0 for a user who never added anything', async () => {
      expect(await service.get(owner, 1)).toEqual({ items: [], totalAmount: 0 });
    });

    it('prices each line with the live product, by product id, and totals them', async () => {
      carts.seed(1, [20, 3], [10, 2]);
      products.catalogue.get(10)!.price = 1_500;

      expect(await service.get(owner, 1)).toEqual({
        items: [
          { productId: 10, name: 'Mug', price: 1_500, quantity: 2, amount: 3_000, stock: 5 },
          { productId: 20, name: 'Pen', price: 300, quantity: 3, amount: 900, stock: 100 },
        ],
        totalAmount: 3_900,
      });
    });

    it("is forbidden for another user's cart, allowed for an admin", async () => {
      carts.seed(1, [10, 1]);
      await expect(service.get(stranger, 1)).rejects.toBeInstanceOf(ForbiddenError);
      expect((await service.get(admin, 1)).items).toHaveLength(1);
    });
  });

  describe('setItem', () => {
    it('adds an absent line under the cart lock, in one transaction, and returns the priced cart', async () => {
      const cart = await service.setItem(owner, 1, 10, 2);
      expect(cart).toEqual({
        items: [{ productId: 10, name: 'Mug', price: 1_000, quantity: 2, amount: 2_000, stock: 5 }],
        totalAmount: 2_000,
      });
      expect(carts.contents(1)).toEqual([[10, 2]]);
      expect(carts.calls).toEqual(['lock 1', 'upsert 1 10=2']);
      expect(transactions.runs).toBe(1);
    });

    it("sets (not adds to) an existing line's quantity", async () => {
      carts.seed(1, [10, 2]);
      await service.setItem(owner, 1, 10, 7);
      expect(carts.contents(1)).toEqual([[10, 7]]);
    });

    it('accepts more than the stock (the cart shows the stock)', async () => {
      const cart = await service.setItem(owner, 1, 30, 4);
      expect(cart.items[0]).toMatchObject({ quantity: 4, stock: 1 });
    });

    it('rejects an unknown product with PRODUCT_NOT_FOUND before taking any lock', async () => {
      await expect(service.setItem(owner, 1, 999, 1)).rejects.toBeInstanceOf(ProductNotFoundError);
      expect(carts.calls).toEqual([]);
      expect(transactions.runs).toBe(0);
    });

    it.each([0, 1_001, 1.5, -1])(
      'rejects the quantity %p before any read or lock',
      async (quantity) => {
        await expect(service.setItem(owner, 1, 10, quantity)).rejects.toBeInstanceOf(
          ValidationFailedError,
        );
        expect(carts.calls).toEqual([]);
      },
    );

    it("is forbidden on another user's cart and writes nothing; an admin may", async () => {
      await expect(service.setItem(stranger, 1, 10, 1)).rejects.toBeInstanceOf(ForbiddenError);
      expect(carts.calls).toEqual([]);
      await service.setItem(admin, 1, 10, 1);
      expect(carts.contents(1)).toEqual([[10, 1]]);
    });

    it(`refuses a ${MAX_CART_LINES + 1}st product with VALIDATION_FAILED and writes nothing`, async () => {
      for (let id = 1; id <= MAX_CART_LINES; id++) {
        products.add(1_000 + id, `p${id}`, 1, 1);
        carts.seed(1, [1_000 + id, 1]);
      }
      await expect(service.setItem(owner, 1, 10, 1)).rejects.toBeInstanceOf(ValidationFailedError);
      expect(carts.contents(1)).toHaveLength(MAX_CART_LINES);
      expect(carts.calls.filter((call) => call.startsWith('upsert'))).toEqual([]);
      // A line already in the full cart can still change.
      await service.setItem(owner, 1, 1_001, 9);
      expect(carts.contents(1)[0]).toEqual([1_001, 9]);
    });
  });

  describe('removeItem', () => {
    it('removes the line and returns the rest of the cart', async () => {
      carts.seed(1, [10, 1], [20, 2]);
      const cart = await service.removeItem(owner, 1, 10);
      expect(cart.items.map((item) => item.productId)).toEqual([20]);
      expect(carts.contents(1)).toEqual([[20, 2]]);
    });

    it('is no error for a line that is not there', async () => {
      carts.seed(1, [20, 2]);
      expect((await service.removeItem(owner, 1, 10)).items).toHaveLength(1);
    });

    it("is forbidden on another user's cart", async () => {
      carts.seed(1, [10, 1]);
      await expect(service.removeItem(stranger, 1, 10)).rejects.toBeInstanceOf(ForbiddenError);
      expect(carts.contents(1)).toEqual([[10, 1]]);
    });
  });

  describe('clear', () => {
    it('deletes every line and returns the empty cart', async () => {
      carts.seed(1, [10, 1], [20, 2]);
      carts.seed(3, [10, 1]);
      expect(await service.clear(owner, 1)).toEqual({ items: [], totalAmount: 0 });
      expect(carts.contents(1)).toEqual([]);
      expect(carts.contents(3)).toEqual([[10, 1]]);
    });

    it("is forbidden on another user's cart", async () => {
      carts.seed(1, [10, 1]);
      await expect(service.clear(stranger, 1)).rejects.toBeInstanceOf(ForbiddenError);
      expect(carts.contents(1)).toEqual([[10, 1]]);
    });
  });

  describe('checkout', () => {
    it('locks the lines, places one order of all of them, then deletes exactly those lines', async () => {
      carts.seed(1, [20, 3], [10, 2]);

      const order = await service.checkout(owner, 1, { issuedCouponId: 4 });

      expect(orders.placed).toEqual([
        {
          userId: 1,
          items: [
            { productId: 10, quantity: 2 },
            { productId: 20, quantity: 3 },
          ],
          issuedCouponId: 4,
        },
      ]);
      expect(order.items.map((line) => [line.productId, line.quantity])).toEqual([
        [10, 2],
        [20, 3],
      ]);
      expect(carts.calls).toEqual([
        'check [10x2,20x3]',
        'lock 1',
        'place [10x2,20x3]',
        'delete 1 [10,20]',
      ]);
      expect(carts.contents(1)).toEqual([]);
      expect(transactions.runs).toBe(1);
    });

    it('orders only the named lines (ignoring ids not in the cart) and keeps the others', async () => {
      carts.seed(1, [10, 2], [20, 3], [30, 1]);

      await service.checkout(owner, 1, { productIds: [30, 10, 77] });

      expect(carts.calls.slice(0, 2)).toEqual(['check [10x2,30x1]', 'lock 1 [30,10,77]']);
      expect(orders.placed[0].items).toEqual([
        { productId: 10, quantity: 2 },
        { productId: 30, quantity: 1 },
      ]);
      expect(orders.placed[0].issuedCouponId).toBeNull();
      expect(carts.contents(1)).toEqual([[20, 3]]);
    });

    it('is CART_EMPTY for an empty cart, placing no order', async () => {
      await expect(service.checkout(owner, 1)).rejects.toBeInstanceOf(CartEmptyError);
      expect(orders.placed).toEqual([]);
    });

    it('is CART_EMPTY when none of the named products is in the cart, and the cart stays', async () => {
      carts.seed(1, [10, 2]);
      await expect(service.checkout(owner, 1, { productIds: [20, 30] })).rejects.toBeInstanceOf(
        CartEmptyError,
      );
      expect(orders.placed).toEqual([]);
      expect(carts.contents(1)).toEqual([[10, 2]]);
    });

    it('is CART_EMPTY with a plain read, before any lock', async () => {
      await expect(service.checkout(owner, 1)).rejects.toBeInstanceOf(CartEmptyError);
      expect(carts.calls).toEqual([]);
      expect(transactions.runs).toBe(0);
    });

    it('refuses an unusable coupon with a plain read, before the cart rows are locked', async () => {
      carts.seed(1, [10, 2]);
      orders.refuseWith = new CouponNotUsableError('it belongs to another user');
      await expect(service.checkout(owner, 1, { issuedCouponId: 4 })).rejects.toBe(
        orders.refuseWith,
      );
      expect(carts.calls).toEqual(['check [10x2]']);
      expect(transactions.runs).toBe(0);
    });

    it('rejects a line above the stock before any lock, and leaves the cart as it was', async () => {
      carts.seed(1, [10, 2], [30, 2]);
      await expect(service.checkout(owner, 1)).rejects.toBeInstanceOf(OutOfStockError);
      expect(carts.calls).toEqual(['check [10x2,30x2]']);
      expect(carts.contents(1)).toEqual([
        [10, 2],
        [30, 2],
      ]);
      expect(products.catalogue.get(10)!.stock).toBe(5);
    });

    it.each([
      ['OUT_OF_STOCK under the lock', new OutOfStockError(10, 2, 1)],
      ['COUPON_NOT_USABLE', new CouponNotUsableError('it is already used')],
      ['PRODUCT_NOT_FOUND', new ProductNotFoundError(10)],
    ])(
      'rolls back when placing the order fails (%s): the cart stays, no line deleted',
      async (_label, error) => {
        carts.seed(1, [10, 2], [20, 1]);
        orders.failWith = error;

        await expect(service.checkout(owner, 1, { issuedCouponId: 4 })).rejects.toBe(error);

        expect(transactions.rollbacks).toBe(1);
        expect(carts.calls.some((call) => call.startsWith('delete'))).toBe(false);
        expect(carts.contents(1)).toEqual([
          [10, 2],
          [20, 1],
        ]);
      },
    );

    it("is forbidden on another user's cart before any lock; an admin may check it out", async () => {
      carts.seed(1, [10, 1]);
      await expect(service.checkout(stranger, 1)).rejects.toBeInstanceOf(ForbiddenError);
      expect(carts.calls).toEqual([]);
      const order = await service.checkout(admin, 1);
      expect(order.userId).toBe(1);
      expect(carts.contents(1)).toEqual([]);
    });
  });
});
