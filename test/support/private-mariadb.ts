import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { chownSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { freePort } from './free-port';

const MARIADBD = process.env.MARIADBD_PATH ?? '/usr/sbin/mariadbd';
const INSTALL_DB = process.env.MARIADB_INSTALL_DB_PATH ?? 'mariadb-install-db';

/**
 * A MariaDB server of the test's own (a temp data directory, a random free port, root with an
 * empty password over TCP), so a test may kill it without touching the machine's server.
 */
export interface PrivateMariaDb {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Starts the server (again: same port, same data) and resolves once it answers queries. */
  start(): Promise<void>;
  /** SIGKILL: the server dies at once; InnoDB recovers committed work on the next start. */
  kill(): Promise<void>;
  /** SIGTERM: an orderly shutdown. */
  stop(): Promise<void>;
  /** Runs one statement as root on a connection of its own (in `database` when given, UTC). */
  query<T = unknown>(sql: string, params?: unknown[], database?: string): Promise<T>;
  /** Kills the server and deletes its files. */
  destroy(): Promise<void>;
}

/** `serverArgs` are added to mariadbd's command line (e.g. `--innodb-snapshot-isolation=ON`). */
export async function startPrivateMariaDb(serverArgs: string[] = []): Promise<PrivateMariaDb> {
  const dir = mkdtempSync(join(tmpdir(), 'ecom-mariadb-'));
  const asRoot = process.getuid?.() === 0;
  // mariadbd refuses to run as root; as root it switches to the mysql user, who must own the files.
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'mysql']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'mysql']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const userArgs = asRoot ? ['--user=mysql'] : [];
  await promisify(execFile)(INSTALL_DB, [
    ...userArgs,
    `--datadir=${join(dir, 'data')}`,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
  ]);

  const port = await freePort();
  const logFile = join(dir, 'server.log');
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const server: PrivateMariaDb = {
    host: '127.0.0.1',
    port,
    user: 'root',
    password: '',

    async start() {
      if (child && child.exitCode === null && child.signalCode === null) {
        throw new Error('the private MariaDB is already running');
      }
      const log = openSync(logFile, 'a');
      child = spawn(
        MARIADBD,
        [
          '--no-defaults',
          ...userArgs,
          `--datadir=${join(dir, 'data')}`,
          `--port=${port}`,
          '--bind-address=127.0.0.1',
          `--socket=${join(dir, 'sock')}`,
          `--pid-file=${join(dir, 'pid')}`,
          '--innodb-buffer-pool-size=64M',
          '--innodb-lock-wait-timeout=5',
          '--max-connections=300',
          ...serverArgs,
        ],
        { stdio: ['ignore', log, log] },
      );
      closeSync(log);
      const running = child;
      exited = new Promise((resolve) => running.once('exit', () => resolve()));
      const deadline = Date.now() + 30_000;
      for (;;) {
        if (running.exitCode !== null || running.signalCode !== null) {
          throw new Error(`the private MariaDB exited at start:\n${tail(logFile)}`);
        }
        try {
          await server.query('SELECT 1');
          return;
        } catch {
          if (Date.now() > deadline)
            throw new Error(`the private MariaDB did not start:\n${tail(logFile)}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    },

    async kill() {
      child?.kill('SIGKILL');
      await exited;
    },

    async stop() {
      child?.kill('SIGTERM');
      await exited;
    },

    async query<T>(sql: string, params: unknown[] = [], database?: string): Promise<T> {
      const connection = await createConnection({
        host: '127.0.0.1',
        port,
        user: 'root',
        password: '',
        database,
        timezone: 'Z',
        connectTimeout: 2_000,
      });
      try {
        const [rows] = await connection.query(sql, params);
        return rows as T;
      } finally {
        await connection.end().catch(() => undefined);
      }
    },

    async destroy() {
      await server.kill();
      process.removeListener('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    await server.start();
  } catch (error) {
    await server.kill();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return server;
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
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
