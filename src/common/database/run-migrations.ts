import { DataSource, MigrationExecutor } from 'typeorm';
import { withNamedLock } from './named-lock';

const LOCK_WAIT_SECONDS = 120;

/**
 * Applies pending migrations while holding a MySQL named lock, so processes starting together
 * on one database take turns instead of running the same DDL twice. The lock and the
 * migrations share one connection.
 */
export async function runMigrations(dataSource: DataSource): Promise<void> {
  await withNamedLock(dataSource, 'migrations', LOCK_WAIT_SECONDS, async (runner) => {
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    await executor.executePendingMigrations();
  });
}
