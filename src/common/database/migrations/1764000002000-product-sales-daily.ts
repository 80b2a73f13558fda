import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Units sold per product per UTC day, fed from the outbox (ORDER_PAID adds, ORDER_REFUNDED
 * subtracts) by a background projector, never inside the payment transaction.
 */
export class ProductSalesDaily1764000002000 implements MigrationInterface {
  name = 'ProductSalesDaily1764000002000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE product_sales_daily (
        sales_date DATE NOT NULL,
        product_id BIGINT NOT NULL,
        quantity BIGINT NOT NULL,
        PRIMARY KEY (sales_date, product_id)
      ) ENGINE=InnoDB`);
    await db.query('ALTER TABLE outbox_events ADD COLUMN projected TINYINT NOT NULL DEFAULT 0');
    await db.query('CREATE INDEX idx_outbox_unprojected ON outbox_events (projected, id)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX idx_outbox_unprojected ON outbox_events');
    await db.query('ALTER TABLE outbox_events DROP COLUMN projected');
    await db.query('DROP TABLE product_sales_daily');
  }
}
