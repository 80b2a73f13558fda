import { MigrationInterface, QueryRunner } from 'typeorm';

export class CouponsOrders1764000001000 implements MigrationInterface {
  name = 'CouponsOrders1764000001000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE coupons (
        id BIGINT NOT NULL AUTO_INCREMENT,
        name VARCHAR(100) NOT NULL,
        discount_type VARCHAR(5) NOT NULL,
        discount_value BIGINT NOT NULL,
        max_discount_amount BIGINT NULL,
        min_order_amount BIGINT NOT NULL DEFAULT 0,
        total_quantity INT NOT NULL,
        issued_quantity INT NOT NULL DEFAULT 0,
        issue_starts_at DATETIME(3) NULL,
        issue_ends_at DATETIME(3) NULL,
        valid_days INT NOT NULL,
        created_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        CONSTRAINT chk_coupons_type CHECK (discount_type IN ('FIXED', 'RATE')),
        CONSTRAINT chk_coupons_value CHECK (discount_value > 0),
        CONSTRAINT chk_coupons_issued CHECK (issued_quantity >= 0 AND issued_quantity <= total_quantity)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await db.query(`
      CREATE TABLE issued_coupons (
        id BIGINT NOT NULL AUTO_INCREMENT,
        coupon_id BIGINT NOT NULL,
        user_id BIGINT NOT NULL,
        status VARCHAR(10) NOT NULL,
        issued_at DATETIME(3) NOT NULL,
        expires_at DATETIME(3) NOT NULL,
        used_at DATETIME(3) NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_issued_coupons_coupon_user (coupon_id, user_id),
        KEY idx_issued_coupons_user (user_id, id),
        CONSTRAINT chk_issued_coupons_status CHECK (status IN ('AVAILABLE', 'USED'))
      ) ENGINE=InnoDB`);

    await db.query(`
      CREATE TABLE orders (
        id BIGINT NOT NULL AUTO_INCREMENT,
        user_id BIGINT NOT NULL,
        status VARCHAR(16) NOT NULL,
        total_amount BIGINT NOT NULL,
        discount_amount BIGINT NOT NULL,
        pay_amount BIGINT NOT NULL,
        issued_coupon_id BIGINT NULL,
        created_at DATETIME(3) NOT NULL,
        expires_at DATETIME(3) NOT NULL,
        paid_at DATETIME(3) NULL,
        closed_at DATETIME(3) NULL,
        PRIMARY KEY (id),
        KEY idx_orders_user (user_id, id),
        KEY idx_orders_status_expires (status, expires_at),
        CONSTRAINT chk_orders_status CHECK (status IN ('PENDING_PAYMENT', 'PAID', 'CANCELLED', 'EXPIRED')),
        CONSTRAINT chk_orders_amounts CHECK (
          total_amount >= 0 AND discount_amount >= 0 AND pay_amount >= 0
          AND pay_amount = total_amount - discount_amount)
      ) ENGINE=InnoDB`);

    await db.query(`
      CREATE TABLE order_items (
        id BIGINT NOT NULL AUTO_INCREMENT,
        order_id BIGINT NOT NULL,
        product_id BIGINT NOT NULL,
        product_name VARCHAR(200) NOT NULL,
        unit_price BIGINT NOT NULL,
        quantity INT NOT NULL,
        amount BIGINT NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_order_items_order_product (order_id, product_id),
        KEY idx_order_items_product (product_id),
        CONSTRAINT chk_order_items_quantity CHECK (quantity > 0),
        CONSTRAINT chk_order_items_amount CHECK (amount = unit_price * quantity)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await db.query(`
      CREATE TABLE payments (
        id BIGINT NOT NULL AUTO_INCREMENT,
        order_id BIGINT NOT NULL,
        user_id BIGINT NOT NULL,
        amount BIGINT NOT NULL,
        paid_at DATETIME(3) NOT NULL,
        refunded_at DATETIME(3) NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_payments_order (order_id),
        CONSTRAINT chk_payments_amount CHECK (amount >= 0)
      ) ENGINE=InnoDB`);

    await db.query(`
      CREATE TABLE outbox_events (
        id BIGINT NOT NULL AUTO_INCREMENT,
        event_id CHAR(36) NOT NULL,
        type VARCHAR(32) NOT NULL,
        aggregate_id BIGINT NOT NULL,
        payload LONGTEXT NOT NULL,
        status VARCHAR(10) NOT NULL DEFAULT 'PENDING',
        attempts INT NOT NULL DEFAULT 0,
        next_attempt_at DATETIME(3) NOT NULL,
        last_error VARCHAR(500) NULL,
        created_at DATETIME(3) NOT NULL,
        delivered_at DATETIME(3) NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_outbox_event (event_id),
        KEY idx_outbox_due (status, next_attempt_at),
        CONSTRAINT chk_outbox_status CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED'))
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'outbox_events',
      'payments',
      'order_items',
      'orders',
      'issued_coupons',
      'coupons',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
