import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { DataSource } from 'typeorm';
import { TokenVerifier } from '../../src/common/auth/token-verifier';
import { dataSourceOptions } from '../../src/common/database/data-source-options';
import { freePort } from '../../src/common/database/launcher';
import { databaseServerFromEnv } from '../support/database-server';
import { waitFor } from '../support/keyed-traffic';
import { buildServer, ServerProcess, startServerProcess } from '../support/server-process';
import { TEST_JWT_SECRET, testConfig } from '../support/test-config';
import { truncateAll, workerDatabase } from '../support/test-database';

const WORKERS = 2;

/** The pids of a process's children (Linux /proc; the cluster's workers). */
function childPids(pid: number): number[] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return children ? children.split(/\s+/).map(Number) : [];
}

/** A GET on a connection of its own (a pooled one may belong to a worker that was killed). */
function statusOnNewConnection(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on('error', reject);
  });
}

/** One sample's value in a Prometheus exposition, or 0 when it is absent. */
function sample(exposition: string, line: RegExp): number {
  const match = exposition.split('\n').find((l) => line.test(l));
  return match ? Number(match.split(' ').pop()) : 0;
}

/**
 * `WEB_CONCURRENCY=2`: the real server (`node main.js`) as a cluster primary with two workers on
 * one port. The coupon race stays exact across the workers (they contend on the same row lock),
 * the primary's metrics listener sums the workers' counters, a killed worker is replaced, and
 * SIGTERM stops everything with exit code 0.
 */
describe('WEB_CONCURRENCY: a cluster of workers on one port', () => {
  let dataSource: DataSource;
  let server: ServerProcess | undefined;
  let metricsPort: number;
  const tokens = new TokenVerifier(testConfig());

  const metrics = async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();

  beforeAll(async () => {
    const name = await workerDatabase();
    dataSource = await new DataSource({
      ...dataSourceOptions(testConfig({ dbName: name })),
      poolSize: 2,
    }).initialize();
    await truncateAll(dataSource);
    await buildServer();
    metricsPort = await freePort();
    const db = databaseServerFromEnv();
    server = await startServerProcess(await freePort(), {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      WEB_CONCURRENCY: String(WORKERS),
      METRICS_PORT: String(metricsPort),
      DB_HOST: db.host,
      DB_PORT: String(db.port),
      DB_USER: db.user,
      DB_PASSWORD: db.password,
      DB_NAME: name,
      DB_POOL_SIZE: '10',
      JWT_SECRET: TEST_JWT_SECRET,
      RATE_LIMIT_PER_MINUTE: '0',
      SEED_DEMO_DATA: 'false',
      DOCS_ENABLED: 'false',
    });
    await waitFor(
      async () =>
        server!.output().includes(`cluster: ${WORKERS} workers serving port`) &&
        server!.output().includes('E-commerce API listening on'),
      20_000,
      'both workers listening, and the greeting',
    );
  }, 90_000);

  afterAll(async () => {
    server?.kill('SIGKILL');
    await server?.exited;
    await dataSource?.destroy();
  });

  it('runs one primary with two workers, and only the primary listens for metrics', () => {
    expect(childPids(server!.pid)).toHaveLength(WORKERS);
    expect(server!.output()).toContain(`Prometheus metrics of all workers on`);
    // Worker 1 alone greets.
    expect(server!.output().match(/E-commerce API listening on/g)).toHaveLength(1);
  });

  it('200 users racing for 50 coupons through both workers: exactly 50 issued, and the primary counts every request', async () => {
    const { status, body } = await fetch(`${server!.baseUrl}/api/v1/coupons`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.sign(1, true)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        name: 'Cluster race',
        discountType: 'FIXED',
        discountValue: 1_000,
        totalQuantity: 50,
        validDays: 30,
      }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as { id: number } }));
    expect(status).toBe(201);
    const before = await metrics();

    const statuses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        fetch(`${server!.baseUrl}/api/v1/users/${1_000 + i}/coupons`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${tokens.sign(1_000 + i)}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ couponId: body.id }),
        }).then(async (r) => `${r.status} ${((await r.json()) as { code?: string }).code ?? ''}`),
      ),
    );

    const counts = statuses.reduce<Record<string, number>>(
      (acc, s) => ({ ...acc, [s.trim()]: (acc[s.trim()] ?? 0) + 1 }),
      {},
    );
    expect(counts).toEqual({ '201': 50, '409 COUPON_SOLD_OUT': 150 });
    const [{ issued, holders }] = await dataSource.query(
      'SELECT c.issued_quantity AS issued, (SELECT COUNT(*) FROM issued_coupons i WHERE i.coupon_id = c.id) AS holders FROM coupons c WHERE c.id = ?',
      [body.id],
    );
    expect({ issued: Number(issued), holders: Number(holders) }).toEqual({
      issued: 50,
      holders: 50,
    });

    const servedBy = new Set(
      server!
        .output()
        .split('\n')
        .filter((line) => line.includes('"request completed"') && line.includes('/coupons"'))
        .map((line) => (JSON.parse(line) as { worker: number }).worker),
    );
    expect([...servedBy].sort()).toEqual([1, 2]);

    const after = await metrics();
    const answered = (text: string) =>
      [
        ...text.matchAll(
          /^http_requests_total\{[^}]*route="\/api\/v1\/users\/:userId\/coupons"[^}]*\} (\d+)$/gm,
        ),
      ]
        .map((m) => Number(m[1]))
        .reduce((a, b) => a + b, 0);
    expect(answered(after) - answered(before)).toBe(200);
    expect(sample(after, /^coupon_issues_total\{outcome="issued"\}/)).toBe(50);
    expect(sample(after, /^coupon_issues_total\{outcome="sold_out"\}/)).toBe(150);
    // Read from the one shared database, so not summed over the workers.
    expect(sample(after, /^db_up /)).toBe(1);
  });

  it('replaces a worker that dies, and keeps serving meanwhile', async () => {
    const [victim, survivor] = childPids(server!.pid);
    process.kill(victim, 'SIGKILL');
    await waitFor(
      async () => server!.output().includes('a worker died; starting another'),
      10_000,
      'the primary to notice',
    );
    // Until the replacement starts (1 s later) the survivor alone serves.
    expect(childPids(server!.pid)).toEqual([survivor]);
    expect(await statusOnNewConnection(`${server!.baseUrl}/health`)).toBe(200);
    await waitFor(
      async () => {
        const pids = childPids(server!.pid);
        return pids.length === WORKERS && !pids.includes(victim) && pids.includes(survivor);
      },
      20_000,
      'a new worker in place of the killed one',
    );
    await waitFor(
      async () => server!.output().split('Server listening at http://127.0.0.1').length - 1 === 3,
      20_000,
      'the new worker listening',
    );
    expect(await statusOnNewConnection(`${server!.baseUrl}/health`)).toBe(200);
  });

  it('SIGTERM: the workers drain and exit, then the primary exits 0', async () => {
    const workers = childPids(server!.pid);
    server!.kill('SIGTERM');
    const { code } = await server!.exited;
    expect(code).toBe(0);
    expect(server!.output()).toContain('cluster stopped');
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
    server = undefined;
  });
});
