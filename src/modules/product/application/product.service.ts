import { Injectable } from '@nestjs/common';
import { Clock } from '../../../common/clock/clock';
import { TransactionRunner } from '../../../common/database/transaction-runner';
import { Page, pageOf } from '../../../common/pagination/page';
import { OutOfStockError } from '../domain/errors/out-of-stock.error';
import { ProductNotFoundError } from '../domain/errors/product-not-found.error';
import { NewProduct, Product } from '../domain/product';
import { ProductRepository } from '../domain/product.repository';

export interface StockLine {
  productId: number;
  quantity: number;
}

@Injectable()
export class ProductService {
  constructor(
    private readonly products: ProductRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async list(page: number, size: number): Promise<Page<Product>> {
    const result = await this.products.findPage(page, size);
    return pageOf(result.items, page, size, result.totalItems);
  }

  async get(id: number): Promise<Product> {
    const product = await this.products.findById(id);
    if (!product) throw new ProductNotFoundError(id);
    return product;
  }

  /** The products that exist among `ids` (plain read, any order). */
  findMany(ids: number[]): Promise<Product[]> {
    return this.products.findManyByIds(ids);
  }

  async create(draft: NewProduct): Promise<Product> {
    return this.products.create(Product.validateNew(draft), this.clock.now());
  }

  async restock(id: number, quantity: number): Promise<Product> {
    return this.transactions.run(async () => {
      const [product] = await this.products.findManyForUpdate([id]);
      if (!product) throw new ProductNotFoundError(id);
      product.restock(quantity);
      await this.products.saveStock([product], this.clock.now());
      return product;
    });
  }

  /**
   * Rejects unknown products and lines above the current stock with a plain read, before any
   * lock is queued for; `reserve` checks again under the lock.
   */
  async assertAvailable(lines: StockLine[]): Promise<void> {
    const products = await this.products.findManyByIds(lines.map((line) => line.productId));
    const byId = new Map(products.map((product) => [product.id, product]));
    for (const line of lines) {
      const product = byId.get(line.productId);
      if (!product) throw new ProductNotFoundError(line.productId);
      if (line.quantity > product.stock) throw new OutOfStockError(product.id, line.quantity, product.stock);
    }
  }

  /**
   * Takes stock for every line, all or nothing. Runs inside the caller's transaction and
   * locks the product rows in ascending id order (the global lock order).
   */
  async reserve(lines: StockLine[]): Promise<Product[]> {
    return this.transactions.run(async () => {
      const locked = await this.lockAll(lines);
      for (const line of lines) locked.get(line.productId)!.reserve(line.quantity);
      const products = [...locked.values()];
      await this.products.saveStock(products, this.clock.now());
      return products;
    });
  }

  /** Puts stock back for every line (a cancelled or expired order), in the caller's transaction. */
  async release(lines: StockLine[]): Promise<void> {
    await this.transactions.run(async () => {
      const locked = await this.lockAll(lines);
      for (const line of lines) locked.get(line.productId)!.release(line.quantity);
      await this.products.saveStock([...locked.values()], this.clock.now());
    });
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
