import { NewProduct, Product } from './product';

export interface ProductPage {
  items: Product[];
  totalItems: number;
}

/** Persistence port of the product module. Locking methods must run inside a transaction. */
export abstract class ProductRepository {
  abstract findById(id: number): Promise<Product | null>;
  abstract findManyByIds(ids: number[]): Promise<Product[]>;
  abstract findPage(page: number, size: number): Promise<ProductPage>;
  abstract create(product: NewProduct, now: Date): Promise<Product>;
  /** Locks the rows (SELECT ... FOR UPDATE) in ascending id order, in one statement. */
  abstract findManyForUpdate(ids: number[]): Promise<Product[]>;
  /** Writes the stock of each product back. */
  abstract saveStock(products: Product[], now: Date): Promise<void>;
}
