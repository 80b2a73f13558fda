import { execFile, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { ServerBinaries } from './server-binaries';
import { freePort, portIsFree } from './ports';
import { isAlive, sleep, waitUntilDead } from './processes';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 60_000;
/** Unix socket paths are limited to about 107 bytes. */
const MAX_SOCKET_PATH = 100;
const BIND_ATTEMPTS = 3;
const INIT_ATTEMPTS = 2;

/**
 * A MariaDB or MySQL server run from the machine's binaries in a directory of the project's
 * own: `data/` (the data directory), `server.pid`, `port`, `server.log` and the socket. It listens
 * on 127.0.0.1 only, on a free port, with root and an empty password; the machine's own server
 * and its users are never touched.
 *
 * The process is detached: a server started by one `npm start` can be reused by the next, and a
 * Ctrl-C in the terminal reaches the API (which drains, then stops the server) rather than the
 * database first.
 */
export interface ReplicationRole {
  /** `server-id` of a replication topology (each server its own). */
  serverId: number;
  /** A primary writes a binary log; a replica is read-only. */
  kind: 'primary' | 'replica';
}

export class PrivateServer {
  readonly host = '127.0.0.1';
  readonly user = 'root';
  readonly password = '';
  private currentPort = 0;

  constructor(
    readonly dir: string,
    readonly binaries: ServerBinaries,
    private readonly role: ReplicationRole | null = null,
  ) {
    this.dir = resolve(dir);
  }

  get port(): number {
    return this.currentPort;
  }

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  private get pidFile(): string {
    return join(this.dir, 'server.pid');
  }

  private get portFile(): string {
    return join(this.dir, 'port');
  }

  get logFile(): string {
    return join(this.dir, 'server.log');
  }

  private get socket(): string {
    const inside = join(this.dir, 'sock');
    if (inside.length <= MAX_SOCKET_PATH) return inside;
    const hash = createHash('sha1').update(this.dir).digest('hex').slice(0, 12);
    return `/tmp/ecom-db-${hash}.sock`;
  }

  get initialized(): boolean {
    return existsSync(join(this.dataDir, 'mysql'));
  }

  /** The pid of this directory's server when one is running (checked against /proc when it can be). */
  runningPid(): number | null {
    let pid: number;
    try {
      pid = Number(readFileSync(this.pidFile, 'utf8').trim());
    } catch {
      return null;
    }
    if (!Number.isSafeInteger(pid) || pid <= 0 || !isAlive(pid)) return null;
    try {
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!commandLine.includes(`--datadir=${this.dataDir}`)) return null;
    } catch {
      // no /proc: trust the pid file
    }
    return pid;
  }

  /**
   * Reuses this directory's running server when it answers; otherwise initialises the data
   * directory if needed and starts the server. Resolves once it answers queries.
   */
  async ensureRunning(): Promise<'reused' | 'started'> {
    if (this.runningPid() !== null) {
      this.currentPort = Number(readFileSync(this.portFile, 'utf8').trim());
      if (await this.answers()) return 'reused';
      await this.kill();
    }
    if (!this.initialized) await this.initialize();
    await this.start();
    return 'started';
  }

  /** Starts the server (again, on the same port when it is still free) and waits until it answers. */
  async start(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      this.currentPort = await this.choosePort();
      writeFileSync(this.portFile, `${this.currentPort}\n`);
      try {
        await this.spawnAndWait();
        return;
      } catch (error) {
        const portTaken = /Address already in use|Bind on TCP\/IP port/i.test(this.logTail());
        if (!portTaken || attempt >= BIND_ATTEMPTS) throw error;
        rmSync(this.portFile, { force: true });
      }
    }
  }

  /** An orderly shutdown (SIGTERM), waiting for the process to end. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /** SIGKILL: the server dies at once; InnoDB recovers committed work on the next start. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** Kills the server and deletes its directory. */
  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
    if (!this.socket.startsWith(this.dir)) rmSync(this.socket, { force: true });
  }

  /** One statement as root on a connection of its own (in `database` when given, UTC). */
  async query<T = unknown>(sql: string, params: unknown[] = [], database?: string): Promise<T> {
    const connection = await createConnection({
      host: this.host,
      port: this.currentPort,
      user: this.user,
      password: this.password,
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
  }

  describe(): string {
    return `server from ${this.binaries.server}, data in ${this.dir}`;
  }

  private async initialize(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    this.ownForServer(this.dir);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.initializeOnce();
        return;
      } catch (error) {
        // The bootstrap has been seen to crash (signal 11) now and then on a loaded machine;
        // a second try from scratch has always gone through.
        if (attempt >= INIT_ATTEMPTS) throw error;
      }
    }
  }

  private async initializeOnce(): Promise<void> {
    // Initialise beside the final place and rename: a run killed half-way leaves no data
    // directory that looks usable.
    const staging = `${this.dataDir}.init-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    const { kind, server, installDb } = this.binaries;
    const args =
      kind === 'MariaDB'
        ? [
            '--no-defaults',
            ...this.userArgs(),
            `--datadir=${staging}`,
            `--tmpdir=${this.tmpDir()}`,
            '--auth-root-authentication-method=normal',
            '--skip-test-db',
          ]
        : [
            '--no-defaults',
            ...this.userArgs(),
            '--initialize-insecure',
            `--datadir=${staging}`,
            `--tmpdir=${this.tmpDir()}`,
          ];
    try {
      await promisify(execFile)(kind === 'MariaDB' ? installDb! : server, args, {
        timeout: START_TIMEOUT_MS,
      });
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      const { stderr, stdout } = error as { stderr?: string; stdout?: string };
      throw new Error(
        `initialising a ${kind} data directory in ${this.dir} failed: ${stderr || stdout || (error as Error).message}`,
      );
    }
    renameSync(staging, this.dataDir);
  }

  /** The server's own temporary directory: servers side by side never share temp files. */
  private tmpDir(): string {
    const dir = join(this.dir, 'tmp');
    mkdirSync(dir, { recursive: true });
    this.ownForServer(dir);
    return dir;
  }

  private async spawnAndWait(): Promise<void> {
    const log = openSync(this.logFile, 'a');
    const child = spawn(this.binaries.server, this.serverArgs(), {
      detached: true,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    child.unref();
    let exited = false;
    child.once('exit', () => (exited = true));
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (exited)
        throw new Error(`the private database server exited at start:\n${this.logTail()}`);
      if (await this.answers()) return;
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(
          `the private database server did not answer within 60 s:\n${this.logTail()}`,
        );
      }
      await sleep(50);
    }
  }

  private serverArgs(): string[] {
    return [
      '--no-defaults',
      ...this.userArgs(),
      `--datadir=${this.dataDir}`,
      `--port=${this.currentPort}`,
      '--bind-address=127.0.0.1',
      `--socket=${this.socket}`,
      `--pid-file=${this.pidFile}`,
      `--tmpdir=${this.tmpDir()}`,
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_unicode_ci',
      '--innodb-buffer-pool-size=128M',
      '--max-connections=500',
      ...(this.binaries.kind === 'MySQL' ? ['--mysqlx=OFF'] : []),
      ...this.replicationArgs(),
    ];
  }

  private replicationArgs(): string[] {
    if (!this.role) return [];
    const common = [`--server-id=${this.role.serverId}`, '--log-basename=server'];
    return this.role.kind === 'primary'
      ? [...common, '--log-bin', '--binlog-format=ROW']
      : [...common, '--read-only', '--skip-slave-start'];
  }

  /**
   * Makes this (replica) server follow `primary` from the start of its binary log, by GTID
   * (MariaDB), and waits until the replication threads run.
   */
  async replicateFrom(primary: PrivateServer): Promise<void> {
    if (this.binaries.kind !== 'MariaDB' || this.role?.kind !== 'replica') {
      throw new Error('replicateFrom: a MariaDB server started as a replica is needed');
    }
    await this.query(
      `CHANGE MASTER TO MASTER_HOST = ?, MASTER_PORT = ?, MASTER_USER = ?, MASTER_PASSWORD = ?,
         MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1`,
      [primary.host, primary.port, primary.user, primary.password],
    );
    await this.query('START SLAVE');
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const [status] = await this.query<Array<Record<string, string>>>('SHOW SLAVE STATUS');
      if (status?.Slave_IO_Running === 'Yes' && status.Slave_SQL_Running === 'Yes') return;
      if (Date.now() > deadline) {
        throw new Error(`replication did not start: ${status?.Last_IO_Error ?? 'no status'}`);
      }
      await sleep(50);
    }
  }

  private async answers(): Promise<boolean> {
    try {
      await this.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  private async choosePort(): Promise<number> {
    let previous = 0;
    try {
      previous = Number(readFileSync(this.portFile, 'utf8').trim());
    } catch {
      // first start
    }
    if (previous > 0 && (await portIsFree(previous))) return previous;
    return freePort();
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const pid = this.runningPid();
    if (pid === null) return;
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    if (!(await waitUntilDead(pid, STOP_TIMEOUT_MS)) && signal !== 'SIGKILL') {
      process.kill(pid, 'SIGKILL');
      await waitUntilDead(pid, STOP_TIMEOUT_MS);
    }
  }

  /**
   * The server refuses to run as root without `--user`. As root it runs as `mysql` when that
   * user exists and can reach the directory (every parent must be searchable: a checkout under
   * a 700 home is not), otherwise explicitly as root.
   */
  private userArgs(): string[] {
    if (process.getuid?.() !== 0) return [];
    return [`--user=${this.serverUser() === null ? 'root' : 'mysql'}`];
  }

  private serverUser(): { uid: number; gid: number } | null {
    if (process.getuid?.() !== 0) return null;
    try {
      const uid = Number(execFileSync('id', ['-u', 'mysql'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'mysql'], { encoding: 'utf8' }).trim());
      return parentsSearchable(dirname(this.dir)) ? { uid, gid } : null;
    } catch {
      return null;
    }
  }

  private ownForServer(path: string): void {
    const owner = this.serverUser();
    if (owner) chownSync(path, owner.uid, owner.gid);
  }

  private logTail(): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-20).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

function parentsSearchable(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dirname(dir) === dir) return true;
  }
}
