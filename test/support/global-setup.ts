import { randomBytes } from 'node:crypto';
import { databaseEnv, LocatedDatabase, locateDatabase } from '../../src/common/database/launcher';

/**
 * Decides the database server for the whole run, the way `npm start` does (locateDatabase):
 * DB_HOST when set; otherwise a throwaway private server from the machine's MariaDB/MySQL
 * binaries, or a Testcontainers MySQL where only Docker exists. Each run works in databases of
 * its own (`<prefix>_w<worker>`), dropped or deleted with the server by globalTeardown.
 */
export default async function globalSetup(): Promise<void> {
  process.env.TEST_DB_PREFIX = `ecom_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  if (onlyUnitTestsSelected()) return;
  const database = await locateDatabase({ env: process.env, purpose: { kind: 'throwaway' } });
  (globalThis as { __TEST_DATABASE__?: LocatedDatabase }).__TEST_DATABASE__ = database;
  // Jest's workers inherit this environment.
  Object.assign(process.env, databaseEnv(database));
  process.stderr.write(`\ntests use ${database.where} on ${database.host}:${database.port}\n`);
}

/** `jest --selectProjects unit` needs no database. */
function onlyUnitTestsSelected(): boolean {
  const index = process.argv.indexOf('--selectProjects');
  if (index < 0) return false;
  const names = process.argv.slice(index + 1);
  return names.includes('unit') && !names.includes('integration') && !names.includes('e2e');
}
