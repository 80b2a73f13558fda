import { NewProduct, Product } from './product';

/**
 * How fresh a read must be: `committed` sees every committed change (the primary); `may-lag`
 * may be served by a read replica, behind the primary by its replication lag: for catalogue
 * pages that are allowed to be a little old, never for anything that decides a write.
 */
export type ReadFreshness = 'committed' | 'may-lag';

/** Persistence port of the product module. Locking methods must run inside a transaction. */
export abstract class ProductRepository {
  abstract findById(id: number): Promise<Product | null>;
  abstract findManyByIds(ids: number[], freshness?: ReadFreshness): Promise<Product[]>;
  /** Products in id order, skipping `offset` (page/size paging). May lag (a replica). */
  abstract findSlice(offset: number, limit: number): Promise<Product[]>;
  /**
   * Products with an id above `afterId`, in id order (keyset paging: as fast on page 4,000 as
   * on page 1). May lag (a replica).
   */
  abstract findAfter(afterId: number, limit: number): Promise<Product[]>;
  /** May lag (a replica). */
  abstract count(): Promise<number>;
  abstract create(product: NewProduct, now: Date): Promise<Product>;
  /** Locks the rows (SELECT ... FOR UPDATE) in ascending id order, in one statement. */
  abstract findManyForUpdate(ids: number[]): Promise<Product[]>;
  /** Writes the stock and reserved units of each product back. */
  abstract saveStock(products: Product[], now: Date): Promise<void>;
}
