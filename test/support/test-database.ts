import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/common/database/data-source-options';
import { runMigrations } from '../../src/common/database/run-migrations';
import { databaseServerFromEnv, runDatabasePrefix } from './database-server';
import { testConfig } from './test-config';

let prepared: Promise<string> | undefined;

/**
 * This worker's own database (`<run prefix>_w<worker>`), created and migrated once per worker,
 * so test files running in parallel never see each other's rows.
 */
export function workerDatabase(): Promise<string> {
  prepared ??= (async () => {
    const name = `${runDatabasePrefix()}_w${process.env.JEST_WORKER_ID ?? '1'}`;
    const connection = await createConnection(databaseServerFromEnv());
    try {
      await connection.query(
        `CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
      );
    } finally {
      await connection.end();
    }
    const dataSource = new DataSource({
      ...dataSourceOptions(testConfig({ dbName: name })),
      poolSize: 2,
    });
    await dataSource.initialize();
    await runMigrations(dataSource);
    await dataSource.destroy();
    return name;
  })();
  return prepared;
}

const TABLES_KEPT = new Set(['migrations']);

/** Empties every table. Refuses to touch a database whose name does not mark it as a test one. */
export async function truncateAll(dataSource: DataSource): Promise<void> {
  const database = dataSource.options.database as string;
  if (!/^ecom_test_/.test(database)) {
    throw new Error(`Refusing to truncate "${database}": not a test database`);
  }
  const tables = await dataSource.query<{ name: string }[]>(
    'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ?',
    [database],
  );
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SET FOREIGN_KEY_CHECKS = 0');
    for (const { name } of tables) {
      if (!TABLES_KEPT.has(name)) await runner.query(`TRUNCATE TABLE \`${name}\``);
    }
    await runner.query('SET FOREIGN_KEY_CHECKS = 1');
  } finally {
    await runner.release();
  }
}
