/**
 * Load benchmark: npm run bench -- [--quick] [--runs N] [--scenarios a,b] [--json FILE]
 *
 * Builds dist/ if stale, creates a fresh database ecom_bench_<timestamp> filled by seedBulk,
 * starts the built server against it (rate limiter off, popular cache 60 s), runs each selected
 * scenario (warm-up, then N runs, each write scenario from a reset state, each verified by SQL),
 * prints a table, and drops the database and stops the servers whatever happens.
 * See bench/README.md.
 */
import 'dotenv/config';
import { JwtService } from '@nestjs/jwt';
import { execFileSync } from 'node:child_process';
import { createSecretKey, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Pool } from 'mysql2/promise';
import { BenchContext, FULL_SIZES, QUICK_SIZES, RowResult, Sizes } from './lib/context';
import { benchDatabaseName, createDatabase, dropDatabase, exec, openPool, scalar } from './lib/db';
import {
  addressOf,
  DatabaseAddress,
  freePort,
  LocatedDatabase,
  locateDatabase,
} from '../src/common/database/launcher';
import { startReplicatedDatabase } from './lib/replica';
import { aggregate, comparisons, passLabel, ReportRow, table, targets } from './lib/report';
import { ServerProcess } from './lib/server';
import { charge } from './scenarios/charge';
import {
  couponIssue,
  couponIssueSql,
  couponIssueSqlAppShape,
  couponIssueSqlWins,
  couponIssueWins,
} from './scenarios/coupon';
import { orderPay } from './scenarios/order-pay';
import { popular, popularCached } from './scenarios/popular';
import { relayBacklog } from './scenarios/relay';
import { PrivateNats } from '../test/support/private-nats';
import { productsPage } from './scenarios/products-page';
import { seedBulk } from './seed-bulk';

const ROOT = resolve(__dirname, '..');
const NATS_STREAM = 'BENCH_ECOMMERCE_ORDERS';

/** A private nats-server with JetStream for the relay rows; null (rows skipped) without one. */
async function startNats(): Promise<PrivateNats | null> {
  try {
    const nats = await PrivateNats.start();
    log(`nats-server (JetStream) for the outbox on ${nats.url}`);
    return nats;
  } catch (error) {
    log(
      `no nats-server (${(error as Error).message}): the outbox goes to the log, relay rows skipped`,
    );
    return null;
  }
}

interface ScenarioDef {
  name: string;
  byDefault: boolean;
  needsBulkData: boolean;
  run: (ctx: BenchContext) => Promise<RowResult[]>;
}

/** In the order they run (popular last: it restarts the server with the cache off). */
const SCENARIOS: ScenarioDef[] = [
  { name: 'coupon-issue', byDefault: true, needsBulkData: false, run: couponIssue },
  { name: 'coupon-issue-sql', byDefault: true, needsBulkData: false, run: couponIssueSql },
  { name: 'coupon-issue-wins', byDefault: true, needsBulkData: false, run: couponIssueWins },
  {
    name: 'coupon-issue-sql-wins',
    byDefault: true,
    needsBulkData: false,
    run: couponIssueSqlWins,
  },
  {
    name: 'coupon-issue-sql-app',
    byDefault: false,
    needsBulkData: false,
    run: couponIssueSqlAppShape,
  },
  { name: 'order-pay', byDefault: true, needsBulkData: false, run: orderPay },
  { name: 'relay-backlog', byDefault: true, needsBulkData: false, run: relayBacklog },
  { name: 'charge', byDefault: true, needsBulkData: false, run: charge },
  { name: 'products-page', byDefault: true, needsBulkData: true, run: productsPage },
  { name: 'popular', byDefault: true, needsBulkData: true, run: popular },
  { name: 'popular-cached', byDefault: false, needsBulkData: true, run: popularCached },
];

interface PassDef {
  label: string;
  what: string;
  env: Record<string, string>;
  /** Rerun, when the main pass ran them (popular-cached: when it ran popular). */
  scenarios: string[];
}

/**
 * After the main pass (LOG_LEVEL=warn, metrics on, one process), the hot rows again on a server
 * started with one setting changed; their rows carry the setting in brackets.
 */
const PASSES: PassDef[] = [
  {
    label: 'LOG_LEVEL=info',
    what: 'as npm start runs it: the default LOG_LEVEL, one access line per request',
    env: { LOG_LEVEL: 'info' },
    scenarios: [
      'coupon-issue',
      'coupon-issue-wins',
      'order-pay',
      'products-page',
      'popular-cached',
    ],
  },
  {
    label: 'METRICS_PORT=0',
    what: 'metrics off: what recording them costs',
    env: { METRICS_PORT: '0' },
    scenarios: ['coupon-issue', 'products-page', 'popular-cached'],
  },
  {
    label: 'WEB_CONCURRENCY=2',
    what: 'two worker processes on one port (node:cluster)',
    env: { WEB_CONCURRENCY: '2' },
    scenarios: ['coupon-issue', 'order-pay', 'products-page', 'popular-cached'],
  },
];

interface Flags {
  json: string | null;
  scenarios: ScenarioDef[];
  quick: boolean;
  runs: number;
  durationSeconds: number | null;
  keepDb: boolean;
  redisUrl: string;
  profile: boolean;
  replica: boolean;
  passes: PassDef[];
}

const USAGE = `usage: npm run bench -- [options]
  --scenarios a,b,c   ${SCENARIOS.map((s) => s.name + (s.byDefault ? '' : ' (opt-in)')).join(', ')}
                      (default: all but the opt-in ones)
  --quick             small data and short runs, a smoke test (10k products, 100k orders, 3 s runs, 1 run)
  --runs N            runs per row; rate and latency are the median across runs (default 3, --quick 1)
  --duration S        seconds per run of the duration-based rows (default 10, --quick 3)
  --json FILE         also write the rows as JSON
  --redis URL         give the servers REDIS_URL (default: $REDIS_URL or none: in-process cache)
  --keep-db           do not drop the bench database at the end (debugging; with DB_HOST only,
                      a private server of the bench's own is always deleted)
  --profile           start the servers with --cpu-prof; profiles land in the server log directory
  --passes a,b|none   second configurations of the hot rows after the main pass:
                      ${PASSES.map((p) => p.label).join(', ')} (default: all)
  --replica           run a private primary and a read replica (no DB_HOST; MariaDB binaries), give
                      the servers DB_REPLICA_HOSTS, and report the replica's lag during the run`;

function parseFlags(argv: string[]): Flags {
  const flags: Flags = {
    json: null,
    scenarios: SCENARIOS.filter((s) => s.byDefault),
    quick: false,
    runs: 0,
    durationSeconds: null,
    keepDb: false,
    redisUrl: process.env.REDIS_URL ?? '',
    replica: false,
    profile: false,
    passes: PASSES,
  };
  const value = (i: number, flag: string) => {
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--'))
      throw new Error(`${flag} needs a value\n${USAGE}`);
    return next;
  };
  const positive = (text: string, flag: string) => {
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--json':
        flags.json = resolve(value(i++, arg));
        break;
      case '--scenarios': {
        const names = value(i++, arg)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const unknown = names.filter((name) => !SCENARIOS.some((s) => s.name === name));
        if (unknown.length > 0)
          throw new Error(`unknown scenario(s): ${unknown.join(', ')}\n${USAGE}`);
        flags.scenarios = SCENARIOS.filter((s) => names.includes(s.name));
        break;
      }
      case '--quick':
        flags.quick = true;
        break;
      case '--runs':
        flags.runs = positive(value(i++, arg), arg);
        break;
      case '--duration':
        flags.durationSeconds = positive(value(i++, arg), arg);
        break;
      case '--keep-db':
        flags.keepDb = true;
        break;
      case '--replica':
        flags.replica = true;
        break;
      case '--passes': {
        const labels = value(i++, arg)
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s && s !== 'none');
        const unknown = labels.filter((label) => !PASSES.some((p) => p.label === label));
        if (unknown.length > 0)
          throw new Error(`unknown pass(es): ${unknown.join(', ')}\n${USAGE}`);
        flags.passes = PASSES.filter((p) => labels.includes(p.label));
        break;
      }
      case '--profile':
        flags.profile = true;
        break;
      case '--redis':
        flags.redisUrl = value(i++, arg);
        break;
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${arg}\n${USAGE}`);
    }
  }
  if (flags.runs === 0) flags.runs = flags.quick ? 1 : 3;
  return flags;
}

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

/** The machine's 1-minute load average: other work on these 2 cores shows up in every figure. */
function loadAverage(): string {
  return loadavg()[0].toFixed(2);
}

function buildIfNeeded(): void {
  try {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-if-needed.js')], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  } catch (error) {
    if (!existsSync(join(ROOT, 'dist', 'main.js')))
      throw new Error(`build failed and there is no dist/main.js: ${(error as Error).message}`);
    log(
      `WARNING: the build failed (${(error as Error).message.split('\n')[0]}); benchmarking the existing dist/`,
    );
  }
}

/** Everything to undo, whatever happens. */
class Cleanup {
  servers = new Set<ServerProcess>();
  pools = new Set<Pool>();
  database: { settings: DatabaseAddress; name: string } | null = null;
  /** The server itself when the bench started one (no DB_HOST): stopped and deleted at the end. */
  server: LocatedDatabase | null = null;
  nats: PrivateNats | null = null;
  keepDb = false;
  private done: Promise<void> | null = null;

  run(): Promise<void> {
    this.done ??= (async () => {
      for (const server of this.servers) await server.stop().catch(() => undefined);
      for (const pool of this.pools) await pool.end().catch(() => undefined);
      if (this.database && !this.keepDb) {
        await dropDatabase(this.database.settings, this.database.name).then(
          () => log(`dropped database ${this.database?.name}`),
          (error: Error) => log(`could not drop database ${this.database?.name}: ${error.message}`),
        );
      } else if (this.database) {
        log(`kept database ${this.database.name} (--keep-db)`);
      }
      await this.server?.release();
      await this.nats?.destroy();
    })();
    return this.done;
  }

  killNow(): void {
    for (const server of this.servers) server.killNow();
  }
}

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2));
  const base = flags.quick ? QUICK_SIZES : FULL_SIZES;
  const sizes: Sizes = { ...base, durationSeconds: flags.durationSeconds ?? base.durationSeconds };
  const bulk = flags.scenarios.some((s) => s.needsBulkData);
  // Without a read scenario the write scenarios need no catalogue: seed a token amount, fast.
  const seed = bulk
    ? { products: sizes.products, users: sizes.users, orders: sizes.orders }
    : { products: 1_000, users: 1_000, orders: 1_000 };

  const jwtSecret = randomBytes(24).toString('hex');
  const logDir = mkdtempSync(join(tmpdir(), 'ecom-bench-'));
  const cleanup = new Cleanup();
  cleanup.keepDb = flags.keepDb;
  const onSignal = (signal: NodeJS.Signals) => {
    log(`\n${signal}: stopping servers and dropping the bench database...`);
    void cleanup.run().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', () => cleanup.killNow());

  const rows: RowResult[] = [];
  const failures: string[] = [];
  const rssByServer: { name: string; maxMB: number }[] = [];
  const startedAt = Date.now();
  try {
    buildIfNeeded();
    const replicated = flags.replica ? await startReplicatedDatabase() : null;
    const located =
      replicated ?? (await locateDatabase({ env: process.env, purpose: { kind: 'throwaway' } }));
    cleanup.server = located;
    const settings: DatabaseAddress = addressOf(located);
    log(`database: ${located.where} on ${located.host}:${located.port}`);
    const dbName = benchDatabaseName();
    await createDatabase(settings, dbName);
    cleanup.database = { settings, name: dbName };

    // seedBulk reads DB_* through loadConfig(process.env); make sure it sees what the servers will.
    Object.assign(process.env, {
      DB_HOST: settings.host,
      DB_PORT: String(settings.port),
      DB_USER: settings.user,
      DB_PASSWORD: settings.password,
      JWT_SECRET: jwtSecret,
    });
    log(
      `seeding ${dbName}: ${seed.products.toLocaleString()} products, ${seed.users.toLocaleString()} users, ${seed.orders.toLocaleString()} orders...`,
    );
    const seeded = await seedBulk({ ...seed, database: dbName, quiet: true });
    const db = openPool(settings, dbName);
    cleanup.pools.add(db);
    // The seed leaves ~2% of orders PENDING_PAYMENT, due in 10 minutes: move them out of the
    // run, or the expiry sweep would start releasing them in the middle of a measurement.
    await exec(
      db,
      "UPDATE orders SET expires_at = expires_at + INTERVAL 1 DAY WHERE status = 'PENDING_PAYMENT'",
    );
    log(
      `seeded in ${seeded.seconds.toFixed(1)} s (${seeded.orderLines.toLocaleString()} order lines)`,
    );

    cleanup.nats = await startNats();
    const metricsPort = String(await freePort());
    const serverEnv = (cacheSeconds: number): Record<string, string> => ({
      NODE_ENV: 'production',
      // A port of its own: with the default one taken the server would run without metrics.
      METRICS_PORT: metricsPort,
      LOG_LEVEL: 'warn',
      DB_HOST: settings.host,
      DB_PORT: String(settings.port),
      DB_USER: settings.user,
      DB_PASSWORD: settings.password,
      DB_NAME: dbName,
      DB_REPLICA_HOSTS: replicated ? `${replicated.replica.host}:${replicated.replica.port}` : '',
      JWT_SECRET: jwtSecret,
      RATE_LIMIT_PER_MINUTE: '0',
      SEED_DEMO_DATA: 'false',
      POPULAR_CACHE_TTL_SECONDS: String(cacheSeconds),
      ORDER_PAYMENT_TTL_SECONDS: '600',
      // The outbox is published to a private nats-server (relay rows), else written to the log.
      DATA_PLATFORM_URL: cleanup.nats?.url ?? '',
      DATA_PLATFORM_STREAM: NATS_STREAM,
      REDIS_URL: flags.redisUrl,
    });
    const startServer = async (
      name: string,
      cacheSeconds: number,
      overrides: Record<string, string> = {},
    ) => {
      const server = await ServerProcess.start({
        name,
        cwd: ROOT,
        logDir,
        env: { ...serverEnv(cacheSeconds), ...overrides },
        nodeArgs: flags.profile
          ? ['--cpu-prof', `--cpu-prof-dir=${logDir}`, `--cpu-prof-name=${name}.cpuprofile`]
          : [],
      });
      cleanup.servers.add(server);
      log(
        `server ${name} up: pid ${server.pid}, ${server.baseUrl}, POPULAR_CACHE_TTL_SECONDS=${cacheSeconds}`,
      );
      return server;
    };
    const stopServer = async (server: ServerProcess) => {
      await server.stop();
      cleanup.servers.delete(server);
      rssByServer.push({ name: server.name, maxMB: server.rssMaxMB });
      log(`server ${server.name} stopped; max RSS ${server.rssMaxMB} MB`);
    };

    let current = await startServer('main', 60);
    // A KeyObject, not the string: jsonwebtoken first tries the string as a PEM public/private
    // key on every call (~0.4 ms here), a KeyObject skips that (~7 us).
    const jwt = new JwtService({ secret: createSecretKey(Buffer.from(jwtSecret)) });
    const tokens = new Map<number, string>();
    const ctx: BenchContext = {
      sizes,
      runs: flags.runs,
      db,
      openAppLikePool: () =>
        openPool(settings, dbName, { connectionLimit: Number(process.env.DB_POOL_SIZE || 20) }),
      server: () => current,
      switchToUncachedServer: async () => {
        await stopServer(current);
        buildIfNeeded(); // someone may have rebuilt (and emptied) dist/ meanwhile
        current = await startServer('uncached', 0);
        return current;
      },
      token: (userId) => {
        let token = tokens.get(userId);
        if (!token) {
          token = jwt.sign({ sub: String(userId) }, { algorithm: 'HS256', expiresIn: 6 * 3600 });
          tokens.set(userId, token);
        }
        return token;
      },
      adminToken: () =>
        jwt.sign({ sub: '1', role: 'admin' }, { algorithm: 'HS256', expiresIn: 6 * 3600 }),
      log,
      nats: cleanup.nats,
      natsStream: NATS_STREAM,
    };

    log(
      `\n${flags.quick ? 'QUICK' : 'FULL'} run: ${flags.runs} run(s) per row, ${sizes.durationSeconds} s per duration run, ` +
        `cache store ${flags.redisUrl ? `redis (${flags.redisUrl})` : 'in-process'}, server logs in ${logDir}`,
    );
    // Sampled while the scenarios run (the bulk seed would swamp it).
    const stopLagSampler = replicated?.sampleLag() ?? null;
    for (const scenario of flags.scenarios) {
      log(`\n== ${scenario.name} (load average ${loadAverage()})`);
      const started = Date.now();
      try {
        if (!current.isRunning)
          throw new Error(`the server died before this scenario:\n${current.tail()}`);
        rows.push(...(await scenario.run(ctx)));
      } catch (error) {
        failures.push(`${scenario.name}: ${(error as Error).message}`);
        log(`  FAILED: ${(error as Error).stack ?? String(error)}`);
        if (!current.isRunning) {
          log(`  the server exited; restarting it for the next scenario`);
          cleanup.servers.delete(current);
          current = await startServer(
            `${current.name}-restarted`,
            current.name === 'uncached' ? 0 : 60,
          );
        }
      }
      log(`  (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
    const ran = new Set(flags.scenarios.map((s) => s.name));
    if (ran.has('popular')) ran.add('popular-cached'); // popular's first row
    for (const pass of flags.passes) {
      const again = SCENARIOS.filter((s) => pass.scenarios.includes(s.name) && ran.has(s.name));
      if (again.length === 0) continue;
      await stopServer(current);
      buildIfNeeded();
      current = await startServer(pass.label.replace(/[^A-Za-z0-9]+/g, '-'), 60, pass.env);
      log(`\n== pass ${pass.label}: ${pass.what}`);
      for (const scenario of again) {
        log(`\n== ${passLabel(scenario.name, pass.label)} (load average ${loadAverage()})`);
        try {
          const passRows = await scenario.run(ctx);
          rows.push(
            ...passRows.map((row) => ({ ...row, scenario: passLabel(row.scenario, pass.label) })),
          );
        } catch (error) {
          failures.push(`${passLabel(scenario.name, pass.label)}: ${(error as Error).message}`);
          log(`  FAILED: ${(error as Error).stack ?? String(error)}`);
          if (!current.isRunning) break;
        }
      }
    }
    log(
      `\nbench database after the run: ${await scalar(db, 'SELECT COUNT(*) FROM orders')} orders`,
    );
    if (stopLagSampler) {
      const lag = await stopLagSampler();
      log(
        `replica lag during the run (${lag.samples} samples every 250 ms): p50 ${lag.p50Ms} ms, p99 ${lag.p99Ms} ms, max ${lag.maxMs} ms`,
      );
    }
    await stopServer(current);
  } catch (error) {
    failures.push((error as Error).message);
    log(`\nFAILED: ${(error as Error).stack ?? String(error)}`);
  } finally {
    for (const server of cleanup.servers)
      rssByServer.push({ name: server.name, maxMB: server.rssMaxMB });
    await cleanup.run();
  }

  const report: ReportRow[] = rows.map(aggregate);
  log(`\n${table(report)}`);
  for (const row of report) {
    const extras = [
      row.note ? `(${row.note})` : '',
      row.perRun[0]?.notes.filter((n) => n.startsWith('outcomes')).join('') ?? '',
      row.problems.length > 0 ? `PROBLEMS: ${row.problems.join('; ')}` : '',
      row.serverWarnings ? `server ${row.serverWarnings}` : '',
    ].filter(Boolean);
    if (extras.length > 0) log(`  ${row.scenario}: ${extras.join(' ')}`);
  }
  const coupon = report.find((r) => r.scenario === 'coupon-issue');
  const ceiling = report.find((r) => r.scenario === 'coupon-issue-sql');
  if (coupon && ceiling && ceiling.rps > 0) {
    log(
      `\ncoupon-issue / coupon-issue-sql = ${coupon.rps} / ${ceiling.rps} req/s = ${((coupon.rps / ceiling.rps) * 100).toFixed(0)}%`,
    );
  }
  const maxRss = Math.max(0, ...rssByServer.map((s) => s.maxMB));
  log(
    `max RSS of a server process: ${maxRss} MB (${rssByServer.map((s) => `${s.name} ${s.maxMB} MB`).join(', ') || 'no server ran'})`,
  );
  const compared = comparisons(report);
  if (compared.length > 0) log(`\nsecond configurations:\n  ${compared.join('\n  ')}`);
  log('\ntargets (reported, not asserted):');
  for (const check of targets(report, rssByServer)) {
    log(
      `  [${check.ok === null ? ' ?  ' : check.ok ? ' ok ' : 'MISS'}] ${check.what}: ${check.measured}`,
    );
  }
  log(
    `\ntotal ${((Date.now() - startedAt) / 1000).toFixed(0)} s, load average at the end ${loadAverage()}`,
  );

  if (flags.json) {
    writeFileSync(flags.json, `${JSON.stringify(report, null, 2)}\n`);
    log(`wrote ${flags.json}`);
  }
  const unverified = report.filter((row) => row.verified === false).map((row) => row.scenario);
  if (unverified.length > 0) failures.push(`verification failed: ${unverified.join(', ')}`);
  if (failures.length > 0) {
    log(`\n${failures.length} failure(s):\n  ${failures.join('\n  ')}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`bench failed: ${error.message}\n`);
    process.exit(1);
  },
);
