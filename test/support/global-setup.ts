import { randomBytes } from 'node:crypto';

/**
 * Decides the database server for the whole run:
 * - DB_HOST set: that server (each run creates and drops its own databases on it);
 * - otherwise: a throwaway MySQL 8.4 from Testcontainers (needs a Docker engine).
 */
export default async function globalSetup(): Promise<void> {
  process.env.TEST_DB_PREFIX = `ecom_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  if (process.env.DB_HOST) return;
  if (onlyUnitTestsSelected()) return;

  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch {
    throw new Error(
      'No database for the tests: set DB_HOST/DB_PORT/DB_USER/DB_PASSWORD to a MySQL 8 or MariaDB 10.11+ ' +
        'server whose user may create databases (e.g. `bash scripts/local-mariadb.sh` then DB_HOST=127.0.0.1 ' +
        'DB_USER=app DB_PASSWORD=app), or start a Docker engine so Testcontainers can run MySQL.',
    );
  }
  const { MySqlContainer } = await import('@testcontainers/mysql');
  const container = await new MySqlContainer('mysql:8.4').withRootPassword('test').start();
  (globalThis as { __MYSQL_CONTAINER__?: unknown }).__MYSQL_CONTAINER__ = container;
  process.env.DB_HOST = container.getHost();
  process.env.DB_PORT = String(container.getPort());
  process.env.DB_USER = 'root';
  process.env.DB_PASSWORD = 'test';
}

/** `jest --selectProjects unit` needs no database. */
function onlyUnitTestsSelected(): boolean {
  const index = process.argv.indexOf('--selectProjects');
  if (index < 0) return false;
  const names = process.argv.slice(index + 1);
  return names.includes('unit') && !names.includes('integration') && !names.includes('e2e');
}
