import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE products (
        id BIGINT NOT NULL AUTO_INCREMENT,
        name VARCHAR(200) NOT NULL,
        price BIGINT NOT NULL,
        stock BIGINT NOT NULL,
        created_at DATETIME(3) NOT NULL,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        CONSTRAINT chk_products_price CHECK (price >= 0),
        CONSTRAINT chk_products_stock CHECK (stock >= 0)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await db.query(`
      CREATE TABLE balances (
        user_id BIGINT NOT NULL,
        amount BIGINT NOT NULL DEFAULT 0,
        updated_at DATETIME(3) NULL,
        PRIMARY KEY (user_id),
        CONSTRAINT chk_balances_amount CHECK (amount >= 0)
      ) ENGINE=InnoDB`);

    await db.query(`
      CREATE TABLE balance_history (
        id BIGINT NOT NULL AUTO_INCREMENT,
        user_id BIGINT NOT NULL,
        type VARCHAR(10) NOT NULL,
        amount BIGINT NOT NULL,
        balance_after BIGINT NOT NULL,
        order_id BIGINT NULL,
        created_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        KEY idx_balance_history_user (user_id, id),
        CONSTRAINT chk_balance_history_type CHECK (type IN ('CHARGE', 'USE', 'REFUND')),
        CONSTRAINT chk_balance_history_amount CHECK (amount > 0),
        CONSTRAINT chk_balance_history_after CHECK (balance_after >= 0)
      ) ENGINE=InnoDB`);

    await db.query(`
      CREATE TABLE idempotency_keys (
        id BIGINT NOT NULL AUTO_INCREMENT,
        user_id BIGINT NOT NULL,
        idem_key VARCHAR(100) NOT NULL,
        fingerprint CHAR(64) NOT NULL,
        status VARCHAR(12) NOT NULL,
        claim_token CHAR(36) NOT NULL,
        locked_until DATETIME(3) NOT NULL,
        response_status SMALLINT NULL,
        response_body LONGTEXT NULL,
        created_at DATETIME(3) NOT NULL,
        expires_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_idempotency_user_key (user_id, idem_key),
        KEY idx_idempotency_expires (expires_at),
        CONSTRAINT chk_idempotency_status CHECK (status IN ('IN_PROGRESS', 'COMPLETED'))
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE idempotency_keys');
    await db.query('DROP TABLE balance_history');
    await db.query('DROP TABLE balances');
    await db.query('DROP TABLE products');
  }
}
