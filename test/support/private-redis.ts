import { ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort } from '../../src/common/database/launcher';

const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? 'redis-server';
const REDIS_CLI = process.env.REDIS_CLI_PATH ?? 'redis-cli';

/**
 * A redis-server of the test's own on a free port, without persistence, so a test may kill,
 * freeze and restart it without touching the machine's Redis.
 */
export interface PrivateRedis {
  port: number;
  url: string;
  /** Starts the server (again: same port, empty data) and resolves once it answers PING. */
  start(): Promise<void>;
  /** SIGKILL: connections drop at once. */
  kill(): Promise<void>;
  /** SIGSTOP: the server keeps its sockets open but answers nothing (a hung Redis). */
  freeze(): void;
  /** SIGCONT after freeze(). */
  thaw(): void;
  /** The keys matching `pattern`, asked with redis-cli. */
  keys(pattern: string): Promise<string[]>;
  /** Deletes every key. */
  flushAll(): Promise<void>;
  destroy(): Promise<void>;
}

/** A private Redis on a free port; started unless `{ started: false }`. */
export async function startPrivateRedis({ started = true } = {}): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);
  const cli = (...args: string[]) =>
    promisify(execFile)(REDIS_CLI, ['-h', '127.0.0.1', '-p', String(port), ...args], {
      timeout: 2_000,
    });

  const server: PrivateRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,

    async start() {
      if (child && child.exitCode === null && child.signalCode === null) {
        throw new Error('the private Redis is already running');
      }
      child = spawn(
        REDIS_SERVER,
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: 'ignore' },
      );
      const running = child;
      exited = new Promise((resolve) => running.once('exit', () => resolve()));
      const deadline = Date.now() + 10_000;
      for (;;) {
        if (running.exitCode !== null || running.signalCode !== null)
          throw new Error(`the private Redis on port ${port} exited at start`);
        if ((await cli('PING').catch(() => ({ stdout: '' }))).stdout.trim() === 'PONG') return;
        if (Date.now() > deadline)
          throw new Error(`the private Redis on port ${port} did not start`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },

    async kill() {
      child?.kill('SIGCONT');
      child?.kill('SIGKILL');
      await exited;
    },

    freeze() {
      child?.kill('SIGSTOP');
    },

    thaw() {
      child?.kill('SIGCONT');
    },

    async keys(pattern: string) {
      const { stdout } = await cli('--scan', '--pattern', pattern);
      return stdout.split('\n').filter(Boolean);
    },

    async flushAll() {
      await cli('FLUSHALL');
    },

    async destroy() {
      await server.kill();
      process.removeListener('exit', killOnExit);
    },
  };

  if (started) await server.start();
  return server;
}
