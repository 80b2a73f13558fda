import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export type ServerKind = 'MariaDB' | 'MySQL';

/** A database server installed on this machine that the project can run a private copy of. */
export interface ServerBinaries {
  kind: ServerKind;
  /** e.g. "10.11.19" */
  version: string;
  /** mariadbd or mysqld */
  server: string;
  /** mariadb-install-db (MariaDB); MySQL initialises with `mysqld --initialize-insecure`. */
  installDb: string | null;
}

/** Where distributions put server binaries, which are often not on a user's PATH. */
export const SYSTEM_BINARY_DIRS = ['/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/usr/bin'];

/** The directories searched: PATH first, then the usual system locations. */
export function defaultSearchDirs(path = process.env.PATH ?? ''): string[] {
  return [...new Set([...path.split(delimiter).filter(Boolean), ...SYSTEM_BINARY_DIRS])];
}

/**
 * Finds `mariadbd` or `mysqld` in `dirs` and tells MariaDB from MySQL by `--version` (Debian's
 * `mysqld` is a link to `mariadbd`). Null when there is no server binary.
 */
export function findServerBinaries(dirs: string[] = defaultSearchDirs()): ServerBinaries | null {
  const server = findExecutable(['mariadbd', 'mysqld'], dirs);
  if (!server) return null;
  const banner = execFileSync(server, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const version = /Ver\s+(\d+\.\d+\.\d+)/.exec(banner)?.[1] ?? 'unknown';
  if (/mariadb/i.test(banner)) {
    const installDb = findExecutable(['mariadb-install-db', 'mysql_install_db'], dirs);
    if (!installDb) return null;
    return { kind: 'MariaDB', version, server, installDb };
  }
  return { kind: 'MySQL', version, server, installDb: null };
}

function findExecutable(names: string[], dirs: string[]): string | null {
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}
