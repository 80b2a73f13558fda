import { FakeClock } from '../../../../test/support/fake-clock';
import { FakeTransactionRunner } from '../../../../test/support/fake-transaction-runner';
import { ValidationFailedError } from '../../../common/errors/common.errors';
import { OutOfStockError } from '../domain/errors/out-of-stock.error';
import { ProductNotFoundError } from '../domain/errors/product-not-found.error';
import { NewProduct, Product, PRODUCT_STOCK_MAX } from '../domain/product';
import { ProductRepository } from '../domain/product.repository';
import { AppConfig } from '../../../config/app-config';
import { ProductService, StockLine } from './product.service';
import { Metrics } from '../../../common/metrics/metrics';
import { ProcessCaches } from '../../../common/cache/process-caches';
import { ResponseCache } from '../../../common/http/response-cache';
import type { TransactionRunner } from '../../../common/database/transaction-runner';

/** In-memory port: stores plain rows so a domain object is never shared with the "database". */
class InMemoryProductRepository extends ProductRepository {
  rows = new Map<
    number,
    { name: string; price: number; stock: number; reserved: number; updatedAt: Date | null }
  >();
  lockCalls: number[][] = [];
  saveCalls = 0;
  private nextId = 1;

  seed(name: string, price: number, stock: number, reserved = 0): number {
    const id = this.nextId++;
    this.rows.set(id, { name, price, stock, reserved, updatedAt: null });
    return id;
  }

  private toDomain(id: number): Product {
    const row = this.rows.get(id)!;
    return new Product({ id, ...row });
  }

  async findById(id: number): Promise<Product | null> {
    return this.rows.has(id) ? this.toDomain(id) : null;
  }

  async findManyByIds(ids: number[]): Promise<Product[]> {
    return ids.filter((id) => this.rows.has(id)).map((id) => this.toDomain(id));
  }

  private sortedIds(): number[] {
    return [...this.rows.keys()].sort((a, b) => a - b);
  }

  async findSlice(offset: number, limit: number): Promise<Product[]> {
    return this.sortedIds()
      .slice(offset, offset + limit)
      .map((id) => this.toDomain(id));
  }

  async findAfter(afterId: number, limit: number): Promise<Product[]> {
    return this.sortedIds()
      .filter((id) => id > afterId)
      .slice(0, limit)
      .map((id) => this.toDomain(id));
  }

  async count(): Promise<number> {
    return this.rows.size;
  }

  async create(product: NewProduct, now: Date): Promise<Product> {
    const id = this.nextId++;
    this.rows.set(id, { ...product, reserved: 0, updatedAt: now });
    return this.toDomain(id);
  }

  async findManyForUpdate(ids: number[]): Promise<Product[]> {
    this.lockCalls.push(ids);
    return [...ids]
      .sort((a, b) => a - b)
      .filter((id) => this.rows.has(id))
      .map((id) => this.toDomain(id));
  }

  async saveStock(products: Product[], now: Date): Promise<void> {
    this.saveCalls++;
    for (const product of products) {
      const row = this.rows.get(product.id)!;
      row.stock = product.stock;
      row.reserved = product.reserved;
      row.updatedAt = now;
    }
  }
}

/** Keeps the after-commit callbacks until the test "commits". */
class CommitLaterRunner extends FakeTransactionRunner {
  committed: Array<() => void> = [];
  override afterCommit(callback: () => void): void {
    this.committed.push(callback);
  }
}

describe('ProductService', () => {
  let repo: InMemoryProductRepository;
  let clock: FakeClock;
  let transactions: FakeTransactionRunner;
  let service: ProductService;

  beforeEach(() => {
    repo = new InMemoryProductRepository();
    clock = new FakeClock(new Date('2026-01-02T03:04:05.000Z'));
    transactions = new FakeTransactionRunner();
    service = serviceWith(transactions.runner, 0);
  });

  function serviceWith(runner: TransactionRunner, productListCacheMs: number): ProductService {
    const metrics = new Metrics();
    return new ProductService(
      repo,
      runner,
      clock,
      { productListCacheMs } as AppConfig,
      metrics,
      new ResponseCache(new ProcessCaches(), metrics),
    );
  }

  const stockOf = (id: number) => repo.rows.get(id)!.stock;
  // As the order module calls them: inside the order's transaction.
  const reserve = (lines: StockLine[]) => transactions.run(() => service.reserve(lines));
  const release = (lines: StockLine[]) => transactions.run(() => service.release(lines));

  describe('list', () => {
    it('pages the products by id with the totals', async () => {
      for (let i = 1; i <= 5; i++) repo.seed(`p${i}`, i * 100, i);

      const page = await service.list({ page: 2, size: 2 });

      expect(page.items.map((p) => p.id)).toEqual([3, 4]);
      expect(page).toMatchObject({
        page: 2,
        size: 2,
        totalItems: 5,
        totalPages: 3,
        nextAfterId: 4,
      });
    });

    it('gives an empty page past the end and for no products', async () => {
      expect(await service.list({ page: 1, size: 20 })).toEqual({
        items: [],
        page: 1,
        size: 20,
        totalItems: 0,
        totalPages: 0,
        nextAfterId: null,
        asOf: clock.current,
        reusableUntil: clock.current, // PRODUCT_LIST_CACHE_MS=0: not reusable
      });
      repo.seed('only', 1, 1);
      expect(await service.list({ page: 5, size: 20 })).toMatchObject({
        items: [],
        totalItems: 1,
        totalPages: 1,
      });
    });

    it('pages by keyset after a product id, with no page number and no next page at the end', async () => {
      for (let i = 1; i <= 5; i++) repo.seed(`p${i}`, i * 100, i);

      const middle = await service.list({ page: 1, size: 2, afterId: 2 });
      const last = await service.list({ page: 1, size: 2, afterId: 4 });

      expect(middle.items.map((p) => p.id)).toEqual([3, 4]);
      expect(middle).toMatchObject({ page: null, totalItems: 5, nextAfterId: 4 });
      expect(last.items.map((p) => p.id)).toEqual([5]);
      expect(last.nextAfterId).toBeNull();
    });

    describe('with a list cache', () => {
      let later: CommitLaterRunner;
      let cached: ProductService;
      beforeEach(() => {
        later = new CommitLaterRunner();
        cached = serviceWith(later.runner, 60_000);
      });
      const commit = () => later.committed.splice(0).forEach((callback) => callback());
      const stocks = async () =>
        (await cached.list({ page: 1, size: 5 })).items.map((product) => product.stock);

      it('serves a page again, with the time it was read, until this process writes', async () => {
        repo.seed('p1', 100, 1);
        const first = await cached.list({ page: 1, size: 5 });
        expect(first.asOf).toEqual(clock.current);
        repo.seed('written elsewhere', 100, 1);
        clock.current = new Date(clock.current.getTime() + 500);
        const again = await cached.list({ page: 1, size: 5 });
        expect(again.items).toHaveLength(1);
        expect(again.asOf).toEqual(first.asOf);
      });

      it.each<[string, (service: ProductService, id: number) => Promise<unknown>]>([
        [
          'an order (reserve)',
          (service, id) => later.run(() => service.reserve([{ productId: id, quantity: 1 }])),
        ],
        [
          'a cancel or expiry (release)',
          (service, id) => later.run(() => service.release([{ productId: id, quantity: 1 }])),
        ],
        ['a restock', (service, id) => service.restock(id, 1)],
      ])('forgets its pages once %s commits, not before', async (_label, change) => {
        const id = repo.seed('p1', 100, 5, 1);
        expect(await stocks()).toEqual([5]);
        await change(cached, id);
        expect(await stocks()).toEqual([5]);
        commit();
        expect(await stocks()).toEqual([repo.rows.get(id)!.stock]);
        expect(repo.rows.get(id)!.stock).not.toBe(5);
      });

      it('forgets its pages when a product is created', async () => {
        repo.seed('p1', 100, 1);
        expect(await stocks()).toEqual([1]);
        await cached.create({ name: 'p2', price: 1, stock: 2 });
        expect(await stocks()).toEqual([1, 2]);
      });
    });
  });

  describe('get', () => {
    it('returns the product', async () => {
      const id = repo.seed('Earbuds', 89_000, 4);
      expect(await service.get(id)).toMatchObject({ id, name: 'Earbuds', price: 89_000, stock: 4 });
    });

    it('throws PRODUCT_NOT_FOUND for an unknown id', async () => {
      await expect(service.get(42)).rejects.toBeInstanceOf(ProductNotFoundError);
    });
  });

  describe('create', () => {
    it('validates, trims the name and stores with the clock time', async () => {
      const product = await service.create({ name: '  Mug ', price: 12_000, stock: 3 });
      expect(product).toMatchObject({ name: 'Mug', price: 12_000, stock: 3 });
      expect(repo.rows.get(product.id)).toEqual({
        name: 'Mug',
        price: 12_000,
        stock: 3,
        reserved: 0,
        updatedAt: clock.current,
      });
    });

    it('stores nothing for an invalid product', async () => {
      await expect(service.create({ name: ' ', price: -1, stock: 1 })).rejects.toBeInstanceOf(
        ValidationFailedError,
      );
      expect(repo.rows.size).toBe(0);
    });
  });

  describe('restock', () => {
    it('adds to the stock in a transaction, under a lock, and stamps the time', async () => {
      const id = repo.seed('Mug', 1, 5);
      const product = await service.restock(id, 7);
      expect(product.stock).toBe(12);
      expect(stockOf(id)).toBe(12);
      expect(repo.rows.get(id)!.updatedAt).toBe(clock.current);
      expect(repo.lockCalls).toEqual([[id]]);
      expect(transactions.runs).toBe(1);
    });

    it('throws PRODUCT_NOT_FOUND for an unknown id with a plain read: no lock, no transaction', async () => {
      await expect(service.restock(99, 1)).rejects.toBeInstanceOf(ProductNotFoundError);
      expect(repo.lockCalls).toEqual([]);
      expect(transactions.runs).toBe(0);
      expect(repo.saveCalls).toBe(0);
    });

    it('refuses to pass the maximum stock and writes nothing', async () => {
      const id = repo.seed('Mug', 1, PRODUCT_STOCK_MAX);
      await expect(service.restock(id, 1)).rejects.toBeInstanceOf(ValidationFailedError);
      expect(stockOf(id)).toBe(PRODUCT_STOCK_MAX);
      expect(repo.saveCalls).toBe(0);
    });
  });

  describe('assertAvailable', () => {
    it('passes when every line is in stock, taking no lock and writing nothing', async () => {
      const a = repo.seed('a', 1, 2);
      const read = await service.assertAvailable([{ productId: a, quantity: 2 }]);
      expect(read.map((product) => [product.id, product.stock])).toEqual([[a, 2]]);
      expect(repo.lockCalls).toEqual([]);
      expect(repo.saveCalls).toBe(0);
    });

    it('rejects an unknown product and a line above the stock', async () => {
      const a = repo.seed('a', 1, 2);
      await expect(service.assertAvailable([{ productId: 9, quantity: 1 }])).rejects.toBeInstanceOf(
        ProductNotFoundError,
      );
      await expect(service.assertAvailable([{ productId: a, quantity: 3 }])).rejects.toBeInstanceOf(
        OutOfStockError,
      );
      expect(stockOf(a)).toBe(2);
    });
  });

  describe('reserve', () => {
    it('takes stock for every line, locking the ids once each', async () => {
      const a = repo.seed('a', 1, 5);
      const b = repo.seed('b', 1, 3);

      const products = await reserve([
        { productId: b, quantity: 3 },
        { productId: a, quantity: 2 },
      ]);

      expect(products.map((p) => [p.id, p.stock])).toEqual([
        [a, 3],
        [b, 0],
      ]);
      expect(stockOf(a)).toBe(3);
      expect(stockOf(b)).toBe(0);
      expect(repo.lockCalls).toHaveLength(1);
      expect([...repo.lockCalls[0]].sort()).toEqual([a, b].sort());
    });

    it('is all or nothing: one short line takes nothing', async () => {
      const a = repo.seed('a', 1, 5);
      const b = repo.seed('b', 1, 1);

      await expect(
        reserve([
          { productId: a, quantity: 5 },
          { productId: b, quantity: 2 },
        ]),
      ).rejects.toBeInstanceOf(OutOfStockError);

      expect(stockOf(a)).toBe(5);
      expect(stockOf(b)).toBe(1);
      expect(repo.saveCalls).toBe(0);
    });

    it('throws PRODUCT_NOT_FOUND naming the missing product, and takes nothing', async () => {
      const a = repo.seed('a', 1, 5);
      const error = await reserve([
        { productId: a, quantity: 1 },
        { productId: 77, quantity: 1 },
      ]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProductNotFoundError);
      expect((error as ProductNotFoundError).productId).toBe(77);
      expect(stockOf(a)).toBe(5);
    });

    it("runs only inside the caller's transaction: alone, it locks and writes nothing", async () => {
      const a = repo.seed('a', 1, 5);
      await expect(service.reserve([{ productId: a, quantity: 1 }])).rejects.toThrow(
        'inside a transaction',
      );
      await expect(service.release([{ productId: a, quantity: 1 }])).rejects.toThrow(
        'inside a transaction',
      );
      expect(repo.lockCalls).toEqual([]);
      expect(transactions.runs).toBe(0);
    });
  });

  describe('release', () => {
    it('puts the stock back for every line', async () => {
      const a = repo.seed('a', 1, 0, 2);
      const b = repo.seed('b', 1, 1, 4);
      await release([
        { productId: a, quantity: 2 },
        { productId: b, quantity: 4 },
      ]);
      expect(stockOf(a)).toBe(2);
      expect(stockOf(b)).toBe(5);
    });

    it('throws PRODUCT_NOT_FOUND for a missing product', async () => {
      await expect(release([{ productId: 5, quantity: 1 }])).rejects.toBeInstanceOf(
        ProductNotFoundError,
      );
    });
  });
});
