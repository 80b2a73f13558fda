import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/common/database/data-source-options';
import { MIGRATIONS } from '../../src/common/database/migrations';
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

  beforeAll(async () => {
    const connection = await createConnection(databaseServerFromEnv());
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await connection.query(`CREATE DATABASE \`${name}\``);
    await connection.end();
  });

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
});
