import { DataSource, MigrationExecutor } from 'typeorm';

/** Named locks are server-wide: the name carries the database, so databases don't share it. */
const LOCK_NAME_SQL = `CONCAT('migrations:', MD5(DATABASE()))`;
const LOCK_WAIT_SECONDS = 120;

/**
 * Applies pending migrations while holding a MySQL named lock, so processes starting together
 * on one database take turns instead of running the same DDL twice. The lock and the
 * migrations share one connection.
 */
export async function runMigrations(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [{ locked }] = await runner.query(`SELECT GET_LOCK(${LOCK_NAME_SQL}, ?) AS locked`, [
      LOCK_WAIT_SECONDS,
    ]);
    if (Number(locked) !== 1)
      throw new Error(`could not get the migration lock within ${LOCK_WAIT_SECONDS} s`);
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    await executor.executePendingMigrations();
  } finally {
    await runner.query(`SELECT RELEASE_LOCK(${LOCK_NAME_SQL})`).catch(() => undefined);
    await runner.release();
  }
}
