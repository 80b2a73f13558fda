import { SalesDelta } from './sales-delta';

export interface ProductSales {
  productId: number;
  soldQuantity: number;
}

/** Per-product, per-day sales kept by the analytics module. */
export abstract class SalesRepository {
  /** Adds the deltas (upsert); runs inside the projector's transaction. */
  abstract add(deltas: SalesDelta[]): Promise<void>;
  /** Top sellers from `fromDate` (inclusive, YYYY-MM-DD) on; ties by product id ascending. */
  abstract topSellers(fromDate: string, limit: number): Promise<ProductSales[]>;
}
