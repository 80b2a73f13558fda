import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { openPersistentServer, openThrowawayServer } from './open-private-server';
import { defaultSearchDirs, findServerBinaries } from './server-binaries';
import { LocatedDatabase } from './database-address';
import { startComposeMySql, startTestcontainersMySql } from './docker-mysql';

export type DatabasePurpose =
  /** `npm start`: a private server whose data is kept in `dir` between starts. */
  | { kind: 'persistent'; dir: string }
  /** tests, bench, bulk seeding: a fresh server for this run, removed at the end. */
  | { kind: 'throwaway' };

export interface LocateOptions {
  env: Record<string, string | undefined>;
  purpose: DatabasePurpose;
  /** Where to look for server binaries (default: PATH, /usr/sbin, /usr/local/bin, ...). */
  searchDirs?: string[];
}

export class NoDatabaseError extends Error {}

/**
 * The one way start, tests, bench and seed find a database:
 * 1. `DB_HOST` set: that server.
 * 2. A private server run from the machine's `mariadbd`/`mysqld` (never the machine's own server).
 * 3. No binaries: MySQL in Docker (Testcontainers for throwaway use, the compose file for
 *    `npm start`) where a Docker engine answers.
 * 4. Otherwise a NoDatabaseError whose message says what to install or set.
 */
export async function locateDatabase(options: LocateOptions): Promise<LocatedDatabase> {
  const { env, purpose } = options;
  if (env.DB_HOST) {
    const address = {
      host: env.DB_HOST,
      port: Number(env.DB_PORT || 3306),
      user: env.DB_USER || 'root',
      password: env.DB_PASSWORD ?? '',
    };
    return {
      ...address,
      where: `from DB_HOST, user "${address.user}"`,
      owned: false,
      release: async () => undefined,
    };
  }

  const searchDirs = options.searchDirs ?? defaultSearchDirs(env.PATH);
  const binaries = findServerBinaries(searchDirs);
  if (binaries) {
    return purpose.kind === 'persistent'
      ? openPersistentServer(purpose.dir, binaries)
      : openThrowawayServer(binaries);
  }
  if (await dockerAnswers(env)) {
    return purpose.kind === 'persistent' ? startComposeMySql() : startTestcontainersMySql();
  }
  throw new NoDatabaseError(
    [
      'No database server to use:',
      `  - DB_HOST is not set, and no mariadbd or mysqld was found (searched ${searchDirs.join(', ')});`,
      '  - no Docker engine answers either.',
      'Do one of these:',
      '  - install a server the project can run privately: sudo apt-get install mariadb-server',
      '    (it runs its own copy on a free port; the machine server and its users stay untouched)',
      '  - set DB_HOST, DB_PORT, DB_USER, DB_PASSWORD and DB_NAME to a MySQL 8 / MariaDB 10.11+ server',
      '  - start a Docker engine (MySQL 8.4 in a container)',
    ].join('\n'),
  );
}

async function dockerAnswers(env: LocateOptions['env']): Promise<boolean> {
  try {
    await promisify(execFile)('docker', ['info', '--format', '{{.ServerVersion}}'], {
      env: { ...process.env, ...env },
      timeout: 5_000,
    });
    return true;
  } catch {
    return false;
  }
}
