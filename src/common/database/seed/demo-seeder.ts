import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';
import { Clock } from '../../clock/clock';
import { TransactionRunner } from '../transaction-runner';
import { DEMO_BALANCES, DEMO_PRODUCTS } from './demo-data';

/**
 * Seeds demo products and balances into an empty database at start-up (SEED_DEMO_DATA; off by
 * default when NODE_ENV=production). A database with any product or balance is left alone.
 * A named lock keeps two processes starting together from seeding twice.
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    private readonly db: TransactionRunner,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.seedDemoData) await this.seed();
  }

  async seed(): Promise<void> {
    await this.db.run(async () => {
      await this.db.query(`SELECT GET_LOCK(CONCAT('demo-seed:', MD5(DATABASE())), 10)`);
      try {
        const [{ count }] = await this.db.query<{ count: number }[]>(
          'SELECT (SELECT COUNT(*) FROM products) + (SELECT COUNT(*) FROM balances) AS count',
        );
        if (Number(count) > 0) return;
        const now = this.clock.now();
        for (const product of DEMO_PRODUCTS) {
          await this.db.query(
            'INSERT INTO products (name, price, stock, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
            [product.name, product.price, product.stock, now, now],
          );
        }
        for (const { userId, amount } of DEMO_BALANCES) {
          await this.db.query(
            'INSERT INTO balances (user_id, amount, updated_at) VALUES (?, ?, ?)',
            [userId, amount, now],
          );
          await this.db.query(
            `INSERT INTO balance_history (user_id, type, amount, balance_after, order_id, created_at)
             VALUES (?, 'CHARGE', ?, ?, NULL, ?)`,
            [userId, amount, amount, now],
          );
        }
        this.logger.log(
          `seeded ${DEMO_PRODUCTS.length} demo products and ${DEMO_BALANCES.length} balances`,
        );
      } finally {
        await this.db.query(`SELECT RELEASE_LOCK(CONCAT('demo-seed:', MD5(DATABASE())))`);
      }
    });
  }
}
