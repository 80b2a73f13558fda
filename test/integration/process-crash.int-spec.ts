import { connect } from 'node:net';
import { DataSource } from 'typeorm';
import { TokenVerifier } from '../../src/common/auth/token-verifier';
import { dataSourceOptions } from '../../src/common/database/data-source-options';
import { databaseServerFromEnv } from '../support/database-server';
import { FakeDataPlatform } from '../support/fake-data-platform';
import { freePort } from '../../src/common/database/launcher';
import {
  expectBackgroundWorkResumes,
  KeyedTraffic,
  Query,
  verifyLedger,
  waitFor,
  seedProducts,
  reliabilityReport,
  eightUserPlan,
} from '../support/keyed-traffic';
import { buildServer, ServerProcess, startServerProcess } from '../support/server-process';
import { TEST_JWT_SECRET, testConfig } from '../support/test-config';
import { truncateAll, workerDatabase } from '../support/test-database';

const LEASE_SECONDS = 2;

/**
 * The server as a real child process (`node main.js`), killed with SIGKILL in the middle of
 * money-moving traffic and started again, and stopped with SIGTERM while a request is in flight.
 */
describe('server process killed mid-request', () => {
  let dataSource: DataSource;
  let sql: Query;
  let platform: FakeDataPlatform;
  let port: number;
  let server: ServerProcess | undefined;
  const heldLocks: Array<{ release(): Promise<void> }> = [];
  const tokens = new TokenVerifier(testConfig());
  const token = (userId: number) => tokens.sign(userId);

  const serverEnv = (): Record<string, string> => {
    const db = databaseServerFromEnv();
    return {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DB_HOST: db.host,
      DB_PORT: String(db.port),
      DB_USER: db.user,
      DB_PASSWORD: db.password,
      DB_NAME: dataSource.options.database as string,
      DB_POOL_SIZE: '10',
      DB_LOCK_WAIT_TIMEOUT_SECONDS: '20',
      JWT_SECRET: TEST_JWT_SECRET,
      RATE_LIMIT_PER_MINUTE: '0',
      SEED_DEMO_DATA: 'false',
      DOCS_ENABLED: 'false',
      IDEMPOTENCY_LEASE_SECONDS: String(LEASE_SECONDS),
      DATA_PLATFORM_URL: platform.url,
      DATA_PLATFORM_TIMEOUT_MS: '1000',
      OUTBOX_RETRY_BASE_MS: '100',
      OUTBOX_RETRY_MAX_MS: '500',
      POPULAR_CACHE_TTL_SECONDS: '0',
    };
  };

  beforeAll(async () => {
    const name = await workerDatabase();
    dataSource = await new DataSource({
      ...dataSourceOptions(testConfig({ dbName: name })),
      poolSize: 3,
    }).initialize();
    sql = <T>(statement: string, params: unknown[] = []) =>
      dataSource.query(statement, params) as Promise<T>;
    platform = await new FakeDataPlatform().start();
    port = await freePort();
    await buildServer();
  }, 60_000);

  afterAll(async () => {
    server?.kill('SIGKILL');
    await server?.exited;
    await platform?.stop();
    await dataSource?.destroy();
  });

  beforeEach(async () => {
    await truncateAll(dataSource);
    platform.reset();
  });

  afterEach(async () => {
    // A failed test must not leave a row lock behind (the next truncation would wait on it).
    for (const lock of heldLocks.splice(0)) await lock.release().catch(() => undefined);
    server?.kill('SIGKILL');
    await server?.exited;
    server = undefined;
  });

  it('SIGKILL mid-load, restart, retry with the same keys: each request applied exactly once, nothing half-written', async () => {
    const initialStock = await seedProducts(sql, 4, 10_000);
    const plan = eightUserPlan('crash', initialStock);
    server = await startServerProcess(port, serverEnv());
    const traffic = new KeyedTraffic(() => `http://127.0.0.1:${port}`, token, plan, {
      requestTimeoutMs: 10_000,
      deadlineMs: 40_000,
    });
    const origin = Date.now();
    const running = traffic.run();
    await waitFor(async () => traffic.settled >= 40, 20_000, 'traffic under way');

    const killedAt = Date.now() - origin;
    server.kill('SIGKILL');
    const died = await server.exited;
    expect(died.signal).toBe('SIGKILL');
    server = await startServerProcess(port, serverEnv());
    const restartedAt = Date.now() - origin;
    await running;
    const settledAt = Date.now() - origin;

    // Only settling answers, "still in progress" and refused connections while no process ran.
    const statuses = traffic.statusCounts();
    for (const label of Object.keys(statuses)) {
      expect(['200', '201', '409 IDEMPOTENCY_KEY_IN_PROGRESS', 'network-error']).toContain(label);
    }
    expect(statuses['network-error']).toBeGreaterThan(0);
    expect(traffic.retried.length).toBeGreaterThan(0);
    // A key whose request died with the process blocks its retries for the lease, not longer.
    const inProgress = traffic.observations.filter((o) => o.code === 'IDEMPOTENCY_KEY_IN_PROGRESS');
    const lastInProgress = Math.max(killedAt, ...inProgress.map((o) => o.at));
    expect(lastInProgress - killedAt).toBeLessThan(
      restartedAt - killedAt + LEASE_SECONDS * 1000 + 1_000,
    );

    await verifyLedger(sql, traffic, plan, initialStock);
    const resumed = await expectBackgroundWorkResumes(
      sql,
      () => new Set(platform.received.map((r) => r.idempotencyKey ?? '')),
      initialStock,
    );

    reliabilityReport('process SIGKILL', {
      killedAtMs: killedAt,
      newProcessHealthyAtMs: restartedAt,
      trafficSettledAtMs: settledAt,
      lastInProgressAfterKillMs: inProgress.length ? lastInProgress - killedAt : null,
      statuses,
      steps: traffic.results.length,
      retriedSteps: traffic.retried.length,
      retriedAndReplayed: traffic.retried.filter((r) => r.replayed).length,
      ...resumed,
    });
  });

  /** Holds a user's balance row locked from the test, so a charge for that user stays in flight. */
  async function lockBalanceRow(userId: number) {
    const holder = dataSource.createQueryRunner();
    await holder.connect();
    await holder.query('INSERT INTO balances (user_id, amount) VALUES (?, 0)', [userId]);
    await holder.startTransaction();
    await holder.query('SELECT amount FROM balances WHERE user_id = ? FOR UPDATE', [userId]);
    let released = false;
    const lock = {
      release: async () => {
        if (released) return;
        released = true;
        if (holder.isTransactionActive) await holder.commitTransaction();
        await holder.release();
      },
    };
    heldLocks.push(lock);
    return lock;
  }

  const waitingCharges = async () => {
    const [row] = await sql<Array<{ n: number }>>(
      `SELECT COUNT(*) AS n FROM information_schema.processlist
        WHERE command = 'Query' AND info LIKE 'INSERT INTO balances%'`,
    );
    return Number(row.n);
  };

  function charge(userId: number, amount: number, key: string, signal?: AbortSignal) {
    return fetch(`http://127.0.0.1:${port}/api/v1/users/${userId}/balance/charge`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token(userId)}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify({ amount }),
      signal,
    }).then(async (res) => ({
      status: res.status,
      body: (await res.json()) as Record<string, unknown>,
      replayed: res.headers.get('idempotent-replayed') === 'true',
    }));
  }

  const chargeRows = async (userId: number) => {
    const [row] = await sql<Array<{ n: number }>>(
      `SELECT COUNT(*) AS n FROM balance_history WHERE user_id = ? AND type = 'CHARGE'`,
      [userId],
    );
    return Number(row.n);
  };

  it('SIGKILL while a keyed charge is in flight (not committed): retries get 409 for at most the lease, then the work is done, once', async () => {
    server = await startServerProcess(port, serverEnv());
    const lock = await lockBalanceRow(43);
    const claimedAt = Date.now();
    const lost = charge(43, 500, 'killed-midway').catch((error: Error) => error);
    await waitFor(
      async () => (await waitingCharges()) === 1,
      5_000,
      'the charge waiting on the row lock',
    );

    server.kill('SIGKILL');
    await server.exited;
    expect(String(await lost)).toMatch(/fetch failed/);
    // The dead process's transaction is rolled back by the database, whatever happens next.
    await lock.release();
    server = await startServerProcess(port, serverEnv());
    const upAfterMs = Date.now() - claimedAt;

    const seen: string[] = [];
    let final: Awaited<ReturnType<typeof charge>> | undefined;
    await waitFor(
      async () => {
        const res = await charge(43, 500, 'killed-midway');
        seen.push(`${res.status} ${res.body.code ?? ''}`.trim());
        if (res.status !== 200) return false;
        final = res;
        return true;
      },
      LEASE_SECONDS * 1000 + 5_000,
      'the retry succeeds',
    );
    const freedAfterMs = Date.now() - claimedAt;
    expect(new Set(seen.slice(0, -1))).toEqual(
      seen.length > 1 ? new Set(['409 IDEMPOTENCY_KEY_IN_PROGRESS']) : new Set(),
    );
    expect(final).toEqual({ status: 200, body: { userId: 43, balance: 500 }, replayed: false });
    // Free once the lease ran out (or as soon as a new process answered, if that took longer).
    expect(freedAfterMs).toBeLessThan(Math.max(LEASE_SECONDS * 1000, upAfterMs) + 1_000);
    expect(await chargeRows(43)).toBe(1);
    // From now on the key replays the stored answer.
    expect(await charge(43, 500, 'killed-midway')).toEqual({ ...final, replayed: true });
    expect(await chargeRows(43)).toBe(1);
    reliabilityReport('process SIGKILL, uncommitted keyed charge', {
      newProcessUpAfterMs: upAfterMs,
      retriesBefore200: seen.length - 1,
      freedAfterMs,
    });
  });

  it('an answer lost on the way (the client hung up, the work committed): the retry gets the stored response, nothing twice', async () => {
    server = await startServerProcess(port, serverEnv());
    const lock = await lockBalanceRow(44);
    const abort = new AbortController();
    const lost = charge(44, 300, 'hung-up', abort.signal).catch((error: Error) => error);
    await waitFor(
      async () => (await waitingCharges()) === 1,
      5_000,
      'the charge waiting on the row lock',
    );
    abort.abort();
    expect(String(await lost)).toMatch(/abort/i);
    await lock.release();
    await waitFor(async () => (await chargeRows(44)) === 1, 5_000, 'the charge committed');

    const retry = await charge(44, 300, 'hung-up');
    expect(retry).toEqual({ status: 200, body: { userId: 44, balance: 300 }, replayed: true });
    expect(await chargeRows(44)).toBe(1);
  });

  it('SIGTERM with a request in flight: it finishes with its 2xx, new connections are refused, exit code 0', async () => {
    server = await startServerProcess(port, serverEnv());
    const lock = await lockBalanceRow(42);
    try {
      const inFlight = fetch(`http://127.0.0.1:${port}/api/v1/users/42/balance/charge`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token(42)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ amount: 700 }),
      }).then(async (res) => ({ status: res.status, body: await res.json() }));
      await waitFor(
        async () => (await waitingCharges()) === 1,
        5_000,
        'the charge waiting on the row lock',
      );

      const signalledAt = Date.now();
      server.kill('SIGTERM');
      const refusedMs = await waitFor(
        () => connectionRefused(port),
        3_000,
        'new connections refused',
      );
      // Still draining: the process has not exited while its request is in flight.
      const early = await Promise.race([
        server.exited,
        new Promise((resolve) => setTimeout(() => resolve('running'), 300)),
      ]);
      expect(early).toBe('running');

      await lock.release();
      const answer = await inFlight;
      expect(answer).toEqual({ status: 200, body: { userId: 42, balance: 700 } });
      const exit = await server.exited;
      expect(exit).toEqual({ code: 0, signal: null });
      const [row] = await sql<Array<{ n: number }>>(
        `SELECT COUNT(*) AS n FROM balance_history WHERE user_id = 42 AND type = 'CHARGE' AND amount = 700`,
      );
      expect(Number(row.n)).toBe(1);
      reliabilityReport('process SIGTERM', {
        refusedAfterMs: refusedMs,
        exitedAfterMs: Date.now() - signalledAt,
      });
    } finally {
      await lock.release().catch(() => undefined);
    }
  });
});

/** True when a TCP connection to the port is refused (nothing listens any more). */
function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}
