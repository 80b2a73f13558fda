import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lock } from 'proper-lockfile';
import { addressOf, LocatedDatabase } from './database-address';
import { PrivateServer, ReplicationRole } from './private-server';
import { isAlive } from './processes';
import { ServerBinaries } from './server-binaries';

/** Throwaway servers live in `<tmp>/ecom-db-*`, each with the pid of the process that owns it. */
const THROWAWAY_PREFIX = 'ecom-db-';
const OWNER_FILE = 'owner.pid';
const CLIENTS_DIR = 'clients';

/**
 * `npm start`'s server: data kept in `dir` between starts. Each process using it registers its
 * pid under `clients/`; the last one to leave stops the server. A process that was killed leaves
 * a stale entry that the others ignore, and a server still running from it is reused.
 */
export async function openPersistentServer(
  dir: string,
  binaries: ServerBinaries,
): Promise<LocatedDatabase> {
  const server = new PrivateServer(dir, binaries);
  const clients = join(server.dir, CLIENTS_DIR);
  // <pid>-<random>: one process may hold the server more than once.
  const client = join(clients, `${process.pid}-${randomBytes(4).toString('hex')}`);
  const state = await underLaunchLock(server.dir, async () => {
    const state = await server.ensureRunning();
    mkdirSync(clients, { recursive: true });
    writeFileSync(client, '');
    return state;
  });
  return {
    ...addressOf(server),
    where: `a private ${server.describe()}, ${state}`,
    owned: true,
    release: () =>
      underLaunchLock(server.dir, async () => {
        rmSync(client, { force: true });
        if (liveClients(clients).length === 0) await server.stop();
      }),
  };
}

/** A fresh server for one run of tests, a benchmark or a bulk seed; deleted by `release`. */
export async function openThrowawayServer(binaries: ServerBinaries): Promise<LocatedDatabase> {
  const server = await startThrowawayServer(binaries);
  return {
    ...addressOf(server),
    where: `a throwaway private ${server.describe()}`,
    owned: true,
    release: () => server.destroy(),
  };
}

/**
 * A private server in a new temporary directory, which the next run deletes if this process
 * dies without `destroy()` (a test may also kill and restart it: see the fault tests).
 */
export async function startThrowawayServer(
  binaries: ServerBinaries,
  role: ReplicationRole | null = null,
): Promise<PrivateServer> {
  await removeAbandonedThrowaways(binaries);
  const server = new ThrowawayServer(mkdtempSync(join(tmpdir(), THROWAWAY_PREFIX)), binaries, role);
  writeFileSync(join(server.dir, OWNER_FILE), `${process.pid}\n`);
  try {
    await server.ensureRunning();
  } catch (error) {
    await server.destroy();
    throw error;
  }
  return server;
}

class ThrowawayServer extends PrivateServer {
  /** The last resort when the run ends without destroy() (an uncaught error, process.exit). */
  private readonly killOnExit = () => {
    const pid = this.runningPid();
    if (pid !== null) process.kill(pid, 'SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  };

  constructor(dir: string, binaries: ServerBinaries, role: ReplicationRole | null) {
    super(dir, binaries, role);
    process.once('exit', this.killOnExit);
  }

  override async destroy(): Promise<void> {
    process.removeListener('exit', this.killOnExit);
    await super.destroy();
  }
}

/** Throwaway servers whose owner died (a killed test run) are stopped and deleted. */
async function removeAbandonedThrowaways(binaries: ServerBinaries): Promise<void> {
  const root = tmpdir();
  for (const name of readdirSync(root)) {
    if (!name.startsWith(THROWAWAY_PREFIX)) continue;
    const dir = join(root, name);
    const ownerFile = join(dir, OWNER_FILE);
    if (!existsSync(ownerFile)) continue;
    const owner = Number(readFileSync(ownerFile, 'utf8').trim());
    if (Number.isSafeInteger(owner) && owner > 0 && isAlive(owner)) continue;
    await new PrivateServer(dir, binaries).destroy();
  }
}

/** The entries of processes still running; those of processes that died are removed. */
function liveClients(clients: string): string[] {
  return readdirSync(clients).filter((name) => {
    const pid = Number(name.split('-')[0]);
    if (Number.isSafeInteger(pid) && pid > 0 && isAlive(pid)) return true;
    rmSync(join(clients, name), { force: true });
    return false;
  });
}

/** Serialises start, reuse and stop of one directory's server across processes. */
async function underLaunchLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true });
  const unlock = await lock(dir, {
    lockfilePath: join(resolve(dir), 'launch.lock'),
    stale: 15_000,
    retries: { retries: 1_000, minTimeout: 50, maxTimeout: 200 },
  });
  try {
    return await work();
  } finally {
    await unlock();
  }
}
