import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cart lines: at most one per user and product (the unique key backs the upsert, and its
 * (user_id) prefix is what a checkout locks the user's lines through).
 */
export class Cart1764000003000 implements MigrationInterface {
  name = 'Cart1764000003000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE cart_items (
        id BIGINT NOT NULL AUTO_INCREMENT,
        user_id BIGINT NOT NULL,
        product_id BIGINT NOT NULL,
        quantity INT NOT NULL,
        created_at DATETIME(3) NOT NULL,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_cart_items_user_product (user_id, product_id),
        CONSTRAINT chk_cart_items_quantity CHECK (quantity BETWEEN 1 AND 1000)
      ) ENGINE=InnoDB`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE cart_items');
  }
}
