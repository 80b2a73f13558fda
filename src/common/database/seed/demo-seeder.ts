import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { AppConfig } from '../../../config/app-config';
import { Clock } from '../../clock/clock';
import { withNamedLock } from '../named-lock';
import { DEMO_BALANCES, DEMO_PRODUCTS } from './demo-data';

const LOCK_WAIT_SECONDS = 60;

/**
 * Seeds demo products and balances into an empty database at start-up (SEED_DEMO_DATA; off by
 * default when NODE_ENV=production). A database with any product or balance is left alone.
 * A named lock, held until the seed has committed, keeps two processes starting together from
 * seeding twice: the second waits, then finds the rows.
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.seedDemoData) await this.seed();
  }

  async seed(): Promise<void> {
    await withNamedLock(this.dataSource, 'demo-seed', LOCK_WAIT_SECONDS, async (runner) => {
      await runner.startTransaction();
      try {
        const seeded = await this.seedIfEmpty(runner);
        await runner.commitTransaction();
        if (seeded) {
          this.logger.log(
            `seeded ${DEMO_PRODUCTS.length} demo products and ${DEMO_BALANCES.length} balances`,
          );
        }
      } catch (error) {
        await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
    });
  }

  private async seedIfEmpty(runner: QueryRunner): Promise<boolean> {
    const [{ count }] = await runner.query(
      'SELECT (SELECT COUNT(*) FROM products) + (SELECT COUNT(*) FROM balances) AS count',
    );
    if (Number(count) > 0) return false;
    const now = this.clock.now();
    await runner.query(
      'INSERT INTO products (name, price, stock, created_at, updated_at) VALUES ?',
      [DEMO_PRODUCTS.map((product) => [product.name, product.price, product.stock, now, now])],
    );
    await runner.query('INSERT INTO balances (user_id, amount, updated_at) VALUES ?', [
      DEMO_BALANCES.map(({ userId, amount }) => [userId, amount, now]),
    ]);
    await runner.query(
      `INSERT INTO balance_history (user_id, type, amount, balance_after, order_id, created_at) VALUES ?`,
      [DEMO_BALANCES.map(({ userId, amount }) => [userId, 'CHARGE', amount, amount, null, now])],
    );
    return true;
  }
}
