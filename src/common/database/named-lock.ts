import { DataSource, QueryRunner } from 'typeorm';

/** Named locks are server-wide: the name carries the database, so databases don't share one. */
const LOCK_NAME_SQL = `CONCAT(?, ':', MD5(DATABASE()))`;

/**
 * Runs `work` on one connection while it holds the MySQL named lock `name` (GET_LOCK), so
 * processes starting together take turns. Throws when the lock is not granted within
 * `waitSeconds`; the lock is released only after `work` has finished (committed included).
 */
export async function withNamedLock<T>(
  dataSource: DataSource,
  name: string,
  waitSeconds: number,
  work: (runner: QueryRunner) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [{ locked }] = await runner.query(`SELECT GET_LOCK(${LOCK_NAME_SQL}, ?) AS locked`, [
      name,
      waitSeconds,
    ]);
    if (Number(locked) !== 1) {
      throw new Error(`could not get the "${name}" lock within ${waitSeconds} s`);
    }
    try {
      return await work(runner);
    } finally {
      await runner.query(`SELECT RELEASE_LOCK(${LOCK_NAME_SQL})`, [name]).catch(() => undefined);
    }
  } finally {
    await runner.release();
  }
}
