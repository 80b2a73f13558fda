import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/common/database/data-source-options';
import { MIGRATIONS } from '../../src/common/database/migrations';
import { ProductReserved1764000005000 } from '../../src/common/database/migrations/1764000005000-product-reserved';
import { runMigrations } from '../../src/common/database/run-migrations';
import { databaseServerFromEnv, runDatabasePrefix } from '../support/database-server';
import { testConfig } from '../support/test-config';

/** The schema comes only from migrations: they apply once under concurrency and undo cleanly. */
describe('migrations (real database)', () => {
  const name = `${runDatabasePrefix()}_migrations_${process.env.JEST_WORKER_ID ?? '1'}`;
  const open = () =>
    new DataSource({
      ...dataSourceOptions(testConfig({ dbName: name })),
      poolSize: 2,
    }).initialize();

  const recreate = async () => {
    const connection = await createConnection(databaseServerFromEnv());
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await connection.query(`CREATE DATABASE \`${name}\``);
    await connection.end();
  };
  beforeAll(recreate);

  const tables = async (dataSource: DataSource) =>
    (
      await dataSource.query<{ name: string }[]>(
        'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name',
        [name],
      )
    ).map((row) => row.name);

  it('three processes migrating one empty database at once apply each migration exactly once', async () => {
    const sources = await Promise.all([open(), open(), open()]);
    try {
      await Promise.all(sources.map((source) => runMigrations(source)));
      const [{ applied }] = await sources[0].query('SELECT COUNT(*) AS applied FROM migrations');
      expect(Number(applied)).toBe(MIGRATIONS.length);
    } finally {
      await Promise.all(sources.map((source) => source.destroy()));
    }
  });

  it('every migration can be undone, leaving no table behind, and applied again', async () => {
    const source = await open();
    try {
      await runMigrations(source);
      for (let i = 0; i < MIGRATIONS.length; i++)
        await source.undoLastMigration({ transaction: 'each' });
      expect(await tables(source)).toEqual(['migrations']);

      await runMigrations(source);
      expect(await tables(source)).toEqual(
        expect.arrayContaining([
          'products',
          'balances',
          'orders',
          'issued_coupons',
          'outbox_events',
          'cart_items',
        ]),
      );
    } finally {
      await source.destroy();
    }
  });

  it('products.reserved starts as the units that pending and paid orders hold', async () => {
    const before = new DataSource({
      ...dataSourceOptions(testConfig({ dbName: name })),
      poolSize: 2,
      migrations: MIGRATIONS.filter((migration) => migration !== ProductReserved1764000005000),
    });
    await recreate();
    await before.initialize();
    try {
      await runMigrations(before);
      const now = new Date();
      await before.query(
        `INSERT INTO products (id, name, price, stock, created_at, updated_at)
         VALUES (1, 'a', 100, 5, ?, ?), (2, 'b', 100, 5, ?, ?)`,
        [now, now, now, now],
      );
      const orders: Array<[number, string, number, number]> = [
        [1, 'PENDING_PAYMENT', 1, 2],
        [2, 'PAID', 1, 3],
        [3, 'CANCELLED', 1, 7],
        [4, 'EXPIRED', 2, 9],
        [5, 'PAID', 2, 1],
      ];
      for (const [id, status, productId, quantity] of orders) {
        await before.query(
          `INSERT INTO orders (id, user_id, status, total_amount, discount_amount, pay_amount, created_at, expires_at)
           VALUES (?, 1, ?, ?, 0, ?, ?, ?)`,
          [id, status, 100 * quantity, 100 * quantity, now, now],
        );
        await before.query(
          `INSERT INTO order_items (order_id, product_id, product_name, unit_price, quantity, amount)
           VALUES (?, ?, 'x', 100, ?, ?)`,
          [id, productId, quantity, 100 * quantity],
        );
      }
    } finally {
      await before.destroy();
    }

    const after = await open();
    try {
      await runMigrations(after);
      const rows = await after.query('SELECT id, reserved FROM products ORDER BY id');
      expect(rows.map((row: { reserved: number }) => Number(row.reserved))).toEqual([5, 1]);
    } finally {
      await after.destroy();
    }
  });
});
