import { Injectable } from '@nestjs/common';
import { Clock } from '../../../common/clock/clock';
import { TransactionRunner } from '../../../common/database/transaction-runner';
import { Metrics } from '../../../common/metrics/metrics';
import { ResponseCache } from '../../../common/http/response-cache';
import { TtlCache } from '../../../common/cache/ttl-cache';
import { Page, pageOf } from '../../../common/pagination/page';
import { AppConfig } from '../../../config/app-config';
import { OutOfStockError } from '../domain/errors/out-of-stock.error';
import { ProductNotFoundError } from '../domain/errors/product-not-found.error';
import { NewProduct, Product } from '../domain/product';
import { ProductRepository, ReadFreshness } from '../domain/product.repository';

export interface ProductListQuery {
  page: number;
  size: number;
  /** Keyset paging: the page starts after this product id (and `page` is ignored). */
  afterId?: number;
}

/** The response cache's tag of the `GET /products` pages. */
export const PRODUCT_PAGES = 'product-pages';

export interface ProductListing extends Omit<Page<Product>, 'page'> {
  /** null in keyset mode, where the position is not counted. */
  page: number | null;
  /** Where the next page starts (keyset), or null on the last page. */
  nextAfterId: number | null;
  /** When the page was read from the database (it may be served from the cache since). */
  asOf: Date;
  /** Until when this page may be served again as it is (PRODUCT_LIST_CACHE_MS after asOf). */
  reusableUntil: Date;
}

/** How old a `GET /products` page may be, wherever it is kept (the contract's bound). */
export const PRODUCT_LIST_MAX_AGE_SECONDS = 1;

export interface StockLine {
  productId: number;
  quantity: number;
}

@Injectable()
export class ProductService {
  private readonly listCache: TtlCache<ProductListing>;
  private readonly listCacheMs: number;

  constructor(
    private readonly products: ProductRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    config: AppConfig,
    metrics: Metrics,
    private readonly responses: ResponseCache,
  ) {
    this.listCacheMs = config.productListCacheMs;
    this.listCache = new TtlCache(
      config.productListCacheMs,
      1_000,
      Date.now,
      metrics.cacheLookup('product_list'),
    );
  }

  /**
   * A page of products in id order: by page number, or after a product id (keyset paging).
   * Pages may be served up to PRODUCT_LIST_CACHE_MS old; every stock change this process
   * commits (an order, a cancel, an expiry, a restock, a checkout, a new product) clears them.
   */
  async list(query: ProductListQuery): Promise<ProductListing> {
    const key = `${query.afterId ?? 'p' + query.page}:${query.size}`;
    return this.listCache.getOrLoad(key, async () => {
      const [rows, totalItems] = await Promise.all([
        query.afterId === undefined
          ? this.products.findSlice((query.page - 1) * query.size, query.size + 1)
          : this.products.findAfter(query.afterId, query.size + 1),
        this.products.count(),
      ]);
      const items = rows.slice(0, query.size);
      const more = rows.length > query.size;
      return {
        ...pageOf(items, query.page, query.size, totalItems),
        page: query.afterId === undefined ? query.page : null,
        nextAfterId: more ? items[items.length - 1].id : null,
        asOf: this.clock.now(),
        reusableUntil: new Date(this.clock.now().getTime() + this.listCacheMs),
      };
    });
  }

  async get(id: number): Promise<Product> {
    const product = await this.products.findById(id);
    if (!product) throw new ProductNotFoundError(id);
    return product;
  }

  /**
   * The products that exist among `ids` (plain read, any order). `may-lag`: a read replica may
   * answer (catalogue views only, see ReadFreshness).
   */
  findMany(ids: number[], freshness: ReadFreshness = 'committed'): Promise<Product[]> {
    return this.products.findManyByIds(ids, freshness);
  }

  async create(draft: NewProduct): Promise<Product> {
    const product = await this.products.create(Product.validateNew(draft), this.clock.now());
    this.clearPages();
    return product;
  }

  /** Pages read before the current transaction commits must not be served after it. */
  private clearPagesOnCommit(): void {
    this.transactions.afterCommit(() => this.clearPages());
  }

  /** The page cache and the pages the response cache keeps of it. */
  private clearPages(): void {
    this.listCache.clear();
    this.responses.invalidate(PRODUCT_PAGES);
  }

  async restock(id: number, quantity: number): Promise<Product> {
    // A plain read first: a locking read of an id past the last product would take a gap lock
    // that every product created meanwhile waits on.
    await this.get(id);
    return this.transactions.run(async () => {
      const product = (await this.lockAll([{ productId: id, quantity }])).get(id)!;
      product.restock(quantity);
      await this.products.saveStock([product], this.clock.now());
      this.clearPagesOnCommit();
      return product;
    });
  }

  /**
   * Rejects unknown products and lines above the current stock with a plain read, before any
   * lock is queued for; `reserve` checks again under the lock. Returns the products read.
   */
  async assertAvailable(lines: StockLine[]): Promise<Product[]> {
    const products = await this.products.findManyByIds(lines.map((line) => line.productId));
    const byId = new Map(products.map((product) => [product.id, product]));
    for (const line of lines) {
      const product = byId.get(line.productId);
      if (!product) throw new ProductNotFoundError(line.productId);
      if (line.quantity > product.stock)
        throw new OutOfStockError(product.id, line.quantity, product.stock);
    }
    return products;
  }

  /**
   * Takes stock for every line, all or nothing. Runs inside the caller's transaction and
   * locks the product rows in ascending id order (the global lock order).
   */
  async reserve(lines: StockLine[]): Promise<Product[]> {
    this.transactions.requireTransaction();
    const locked = await this.lockAll(lines);
    for (const line of lines) locked.get(line.productId)!.reserve(line.quantity);
    const products = [...locked.values()];
    await this.products.saveStock(products, this.clock.now());
    this.clearPagesOnCommit();
    return products;
  }

  /** Puts stock back for every line (a cancelled or expired order), in the caller's transaction. */
  async release(lines: StockLine[]): Promise<void> {
    this.transactions.requireTransaction();
    const locked = await this.lockAll(lines);
    for (const line of lines) locked.get(line.productId)!.release(line.quantity);
    await this.products.saveStock([...locked.values()], this.clock.now());
    this.clearPagesOnCommit();
  }

  private async lockAll(lines: StockLine[]): Promise<Map<number, Product>> {
    const ids = [...new Set(lines.map((line) => line.productId))];
    const products = await this.products.findManyForUpdate(ids);
    const byId = new Map(products.map((product) => [product.id, product]));
    const missing = ids.find((id) => !byId.has(id));
    if (missing !== undefined) throw new ProductNotFoundError(missing);
    return byId;
  }
}
