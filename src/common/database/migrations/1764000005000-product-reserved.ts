import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `products.reserved`: units held by pending or paid orders, which come back to stock when the
 * order is cancelled or expires. A restock is refused when stock plus these units would pass
 * the maximum, so returned units always fit. Filled from the orders that exist.
 */
export class ProductReserved1764000005000 implements MigrationInterface {
  name = 'ProductReserved1764000005000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE products
        ADD COLUMN reserved BIGINT NOT NULL DEFAULT 0 AFTER stock,
        ADD CONSTRAINT chk_products_reserved CHECK (reserved >= 0)`);
    await db.query(`
      UPDATE products p
        JOIN (SELECT i.product_id, SUM(i.quantity) AS quantity
                FROM order_items i JOIN orders o ON o.id = i.order_id
               WHERE o.status IN ('PENDING_PAYMENT', 'PAID')
               GROUP BY i.product_id) held ON held.product_id = p.id
         SET p.reserved = held.quantity`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      'ALTER TABLE products DROP CONSTRAINT chk_products_reserved, DROP COLUMN reserved',
    );
  }
}
