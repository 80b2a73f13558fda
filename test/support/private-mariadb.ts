import {
  findServerBinaries,
  PrivateServer,
  startThrowawayServer,
} from '../../src/common/database/launcher';

/**
 * A database server of the test's own (a temp data directory, a random free port, root with an
 * empty password over TCP), so a test may kill and restart it without touching the run's server.
 */
export type PrivateMariaDb = PrivateServer;

export async function startPrivateMariaDb(): Promise<PrivateMariaDb> {
  const binaries = findServerBinaries();
  if (!binaries)
    throw new Error('this test needs mariadbd or mysqld (apt-get install mariadb-server)');
  return startThrowawayServer(binaries);
}

/** Creates `database` on the private server and returns the app's DB_* settings for it. */
export async function privateDatabaseEnv(
  db: PrivateMariaDb,
  database: string,
): Promise<Record<string, string>> {
  await db.query(
    `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
  return {
    DB_HOST: db.host,
    DB_PORT: String(db.port),
    DB_USER: db.user,
    DB_PASSWORD: db.password,
    DB_NAME: database,
  };
}
