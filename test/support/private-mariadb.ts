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
