import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/common/database/data-source-options';
import { freePort, locateDatabase } from '../../src/common/database/launcher';
import { runMigrations } from '../../src/common/database/run-migrations';
import { buildServer, ServerProcess, startServerProcess } from '../support/server-process';
import { testConfig } from '../support/test-config';

/** Every process whose command line names a data directory under `dir`. */
function serverProcessesUnder(dir: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`--datadir=${dir}`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('database launcher (no DB_HOST)', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecom-launcher-test-'));
    dirs.push(dir);
    return dir;
  };

  afterAll(() => {
    for (const dir of dirs) {
      for (const pid of serverProcessesUnder(dir)) process.kill(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs a private server in a directory of its own, reuses it, and the last release stops it', async () => {
    const dir = join(tempDir(), 'mysql');
    const first = await locateDatabase({ env: {}, purpose: { kind: 'persistent', dir } });
    expect(first).toMatchObject({ host: '127.0.0.1', user: 'root', owned: true });
    expect(first.port).not.toBe(3306);
    expect(first.where).toMatch(/started$/);
    expect(serverProcessesUnder(dir)).toHaveLength(1);

    const config = testConfig({ dbName: 'launcher_test' });
    Object.assign(config.db, { host: first.host, port: first.port, user: 'root', password: '' });
    const admin = new DataSource({ ...dataSourceOptions(config), database: undefined });
    await admin.initialize();
    await admin.query('CREATE DATABASE launcher_test');
    await admin.destroy();
    const app = await new DataSource({ ...dataSourceOptions(config), poolSize: 2 }).initialize();
    await runMigrations(app);
    const tables = await app.query<{ name: string }[]>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'launcher_test'",
    );
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['products', 'orders']));
    await app.destroy();

    const second = await locateDatabase({ env: {}, purpose: { kind: 'persistent', dir } });
    expect(second.port).toBe(first.port);
    expect(second.where).toMatch(/reused$/);

    await first.release();
    expect(serverProcessesUnder(dir)).toHaveLength(1); // still used by `second`
    await second.release();
    expect(serverProcessesUnder(dir)).toEqual([]);
  });

  it('deletes a throwaway server on release, and the next run removes one a killed run left', async () => {
    const { dir: built } = await buildServer();
    const launcher = join(built, 'dist', 'common', 'database', 'launcher');
    const child = spawn(
      process.execPath,
      [
        '-e',
        `require(${JSON.stringify(launcher)}).locateDatabase({ env: {}, purpose: { kind: 'throwaway' } })` +
          `.then((db) => { console.log('READY ' + db.where); setInterval(() => {}, 1000); });`,
      ],
      { cwd: built, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    await until(() => output.includes('READY'), 'the child started a throwaway server', 30_000);
    const abandoned = /data in (\S+)/.exec(output)![1];
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(serverProcessesUnder(abandoned)).toHaveLength(1); // the server outlived its owner

    const own = await locateDatabase({ env: {}, purpose: { kind: 'throwaway' } });
    const ownDir = /data in (\S+)/.exec(own.where)![1];
    expect(existsSync(abandoned)).toBe(false);
    expect(serverProcessesUnder(abandoned)).toEqual([]);
    expect(serverProcessesUnder(ownDir)).toHaveLength(1);
    await own.release();
    expect(existsSync(ownDir)).toBe(false);
    expect(serverProcessesUnder(ownDir)).toEqual([]);
  });
});

describe("npm start's entry with no DB_* set", () => {
  let dataDir: string;
  const servers: ServerProcess[] = [];

  const start = async (): Promise<ServerProcess> => {
    const server = await startServerProcess(await freePort(), {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    });
    servers.push(server);
    return server;
  };
  const stop = async (server: ServerProcess) => {
    server.kill('SIGTERM');
    return server.exited;
  };
  const demoToken = (server: ServerProcess) =>
    /Demo token[^\n]*\n\s+(\S+)/.exec(server.output())![1];
  const startupLine = (server: ServerProcess) =>
    server
      .output()
      .split('\n')
      .map((line) => /"msg":"(database: [^"]+)"/.exec(line)?.[1])
      .find(Boolean);

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ecom-start-test-'));
  });

  afterEach(async () => {
    for (const server of servers.splice(0)) server.kill('SIGKILL');
    for (const pid of serverProcessesUnder(dataDir)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the demo with a working printed token, keeps its data, and SIGTERM leaves no database process', async () => {
    const server = await start();
    expect(startupLine(server)).toMatch(
      /^database: MariaDB \S+ on 127\.0\.0\.1:\d+, a private server from \S+, data in \S+, started$/,
    );
    const token = demoToken(server);
    const balance = await fetch(`${server.baseUrl}/api/v1/users/1/balance`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(balance.status).toBe(200);
    expect(await balance.json()).toEqual({ userId: 1, balance: 1_000_000 });
    const charge = await fetch(`${server.baseUrl}/api/v1/users/1/balance/charge`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ amount: 5_000 }),
    });
    expect(charge.status).toBe(200);

    expect(await stop(server)).toEqual({ code: 0, signal: null });
    expect(serverProcessesUnder(dataDir)).toEqual([]);

    // A second start: same secret (the old token still works), same data, no second seed.
    const again = await start();
    const after = await fetch(`${again.baseUrl}/api/v1/users/1/balance`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(await after.json()).toEqual({ userId: 1, balance: 1_005_000 });
    const products = await fetch(`${again.baseUrl}/api/v1/products?size=100`);
    expect(((await products.json()) as { totalItems: number }).totalItems).toBe(12);
    expect(await stop(again)).toEqual({ code: 0, signal: null });
    expect(serverProcessesUnder(dataDir)).toEqual([]);
  });

  it('a killed start leaves nothing that breaks the next one', async () => {
    const killed = await start();
    killed.kill('SIGKILL');
    await killed.exited;
    expect(serverProcessesUnder(dataDir)).toHaveLength(1); // its database outlived it

    const next = await start();
    expect(startupLine(next)).toMatch(/reused$/);
    expect(await stop(next)).toEqual({ code: 0, signal: null });
    expect(serverProcessesUnder(dataDir)).toEqual([]);
  });

  it('two starts at once on an empty database both come up; the demo data is seeded once', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const products = await fetch(`${a.baseUrl}/api/v1/products?size=100`);
    expect(((await products.json()) as { totalItems: number }).totalItems).toBe(12);
    const history = await fetch(`${b.baseUrl}/api/v1/users/1/balance/history`, {
      headers: { Authorization: `Bearer ${demoToken(b)}` },
    });
    expect(((await history.json()) as { totalItems: number }).totalItems).toBe(1);

    expect(await stop(a)).toEqual({ code: 0, signal: null });
    expect(serverProcessesUnder(dataDir)).toHaveLength(1); // b still uses it
    expect(await stop(b)).toEqual({ code: 0, signal: null });
    expect(serverProcessesUnder(dataDir)).toEqual([]);
  });
});
