import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../../common/database/transaction-runner';
import { SalesDelta } from '../domain/sales-delta';
import { ProductSales, SalesRepository } from '../domain/sales.repository';

@Injectable()
export class SqlSalesRepository extends SalesRepository {
  constructor(private readonly db: TransactionRunner) {
    super();
  }

  async add(deltas: SalesDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    await this.db.query(
      `INSERT INTO product_sales_daily (sales_date, product_id, quantity)
       VALUES ${deltas.map(() => '(?, ?, ?)').join(', ')}
       ON DUPLICATE KEY UPDATE quantity = quantity + VALUES(quantity)`,
      deltas.flatMap((delta) => [delta.salesDate, delta.productId, delta.quantity]),
    );
  }

  async topSellers(fromDate: string, limit: number): Promise<ProductSales[]> {
    // A range scan of the primary key (sales_date, product_id): the window's rows only. The
    // ranking may lag (it is cached for POPULAR_CACHE_TTL_SECONDS anyway): a replica may answer.
    const rows = await this.db.readQuery<{ product_id: number; sold: number | string }[]>(
      `SELECT product_id, CAST(SUM(quantity) AS SIGNED) AS sold FROM product_sales_daily
        WHERE sales_date >= ?
        GROUP BY product_id HAVING sold > 0
        ORDER BY sold DESC, product_id ASC LIMIT ?`,
      [fromDate, limit],
    );
    return rows.map((row) => ({
      productId: Number(row.product_id),
      soldQuantity: Number(row.sold),
    }));
  }
}
