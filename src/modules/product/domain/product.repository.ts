import { NewProduct, Product } from './product';

/** Persistence port of the product module. Locking methods must run inside a transaction. */
export abstract class ProductRepository {
  abstract findById(id: number): Promise<Product | null>;
  abstract findManyByIds(ids: number[]): Promise<Product[]>;
  /** Products in id order, skipping `offset` (page/size paging). */
  abstract findSlice(offset: number, limit: number): Promise<Product[]>;
  /** Products with an id above `afterId`, in id order (keyset paging: as fast on page 4,000 as on page 1). */
  abstract findAfter(afterId: number, limit: number): Promise<Product[]>;
  abstract count(): Promise<number>;
  abstract create(product: NewProduct, now: Date): Promise<Product>;
  /** Locks the rows (SELECT ... FOR UPDATE) in ascending id order, in one statement. */
  abstract findManyForUpdate(ids: number[]): Promise<Product[]>;
  /** Writes the stock and reserved units of each product back. */
  abstract saveStock(products: Product[], now: Date): Promise<void>;
}
