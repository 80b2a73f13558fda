import cluster, { Worker } from 'node:cluster';
import type { Server } from 'node:http';
import type { Logger as PinoLogger } from 'pino';
import { AggregatorRegistry } from 'prom-client';
import { AppConfig } from './config/app-config';
import { databaseEnv, LocatedDatabase } from './common/database/launcher';
import { listenForScrapes } from './common/metrics/scrape-listener';

type Env = Record<string, string | undefined>;

const RESPAWN_DELAY_MS = 1_000;
const FORCE_EXIT_AFTER_MS = 20_000;

/**
 * WEB_CONCURRENCY > 1: this process is the cluster's primary. It has located the database once
 * (so N workers share one private server and one JWT secret) and forks N workers, each the whole
 * API on PORT (node:cluster shares the listening socket and hands connections out round-robin).
 * Every lock, claim and idempotency record is in MySQL, so N workers are as exact as one; what
 * each keeps in memory (caches, the sold-out memo, rate-limit counters without Redis) is per
 * worker, as with N processes behind a balancer.
 *
 * The primary serves the workers' metrics combined on METRICS_PORT (workers expose none of their
 * own), starts a new worker when one dies after it was serving, and on SIGTERM/SIGINT stops the
 * workers (each drains its requests), then releases the database and exits. A worker that fails
 * during start-up stops the whole cluster: the cause (a port taken, a bad setting) would repeat.
 */
export async function runClusterPrimary(
  config: AppConfig,
  env: Env,
  database: LocatedDatabase,
  logger: PinoLogger,
): Promise<void> {
  const workerEnv = { ...env, ...databaseEnv(database), METRICS_PORT: '0' };
  const alive = new Set<Worker>();
  const serving = new Set<number>();
  let stopping = false;
  let exitCode = 0;
  let metricsServer: Server | null = null;

  const fork = () => alive.add(cluster.fork(workerEnv));

  const finish = async () => {
    metricsServer?.close();
    await database.release().catch((error: Error) => logger.error({ err: error }, 'release'));
    logger.info('cluster stopped');
    process.exit(exitCode);
  };

  const stop = (code: number) => {
    exitCode ||= code;
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      logger.error('workers took too long to stop; killing them');
      for (const worker of alive) worker.process.kill('SIGKILL');
      process.exit(1);
    }, FORCE_EXIT_AFTER_MS).unref();
    for (const worker of alive) worker.process.kill('SIGTERM');
    if (alive.size === 0) void finish();
  };

  cluster.on('listening', (worker) => {
    serving.add(worker.id);
    if (serving.size === config.webConcurrency) {
      logger.info(
        { workers: config.webConcurrency, port: config.port },
        `cluster: ${config.webConcurrency} workers serving port ${config.port}`,
      );
    }
  });
  cluster.on('exit', (worker, code, signal) => {
    alive.delete(worker);
    if (stopping) {
      if (alive.size === 0) void finish();
      return;
    }
    if (!serving.has(worker.id)) {
      logger.error({ code, signal }, 'a worker failed during start-up; stopping the cluster');
      stop(1);
      return;
    }
    logger.error({ code, signal, pid: worker.process.pid }, 'a worker died; starting another');
    setTimeout(() => stopping || fork(), RESPAWN_DELAY_MS).unref();
  });
  process.once('SIGTERM', () => stop(0));
  process.once('SIGINT', () => stop(0));

  logger.info(
    { database: { host: database.host, port: database.port } },
    `database: ${database.host}:${database.port}, ${database.where}`,
  );
  if (config.metrics.port !== 0) metricsServer = await serveClusterMetrics(config, logger);
  for (let i = 0; i < config.webConcurrency; i++) fork();
}

/** The workers' registries combined (counters and histograms summed, gauges by their rule). */
async function serveClusterMetrics(config: AppConfig, logger: PinoLogger): Promise<Server | null> {
  const registry = new AggregatorRegistry();
  const { host, port } = config.metrics;
  try {
    const server = await listenForScrapes(
      host,
      port,
      { contentType: registry.contentType, collect: () => registry.clusterMetrics() },
      (error) => logger.warn(`collecting the workers' metrics failed: ${error.message}`),
    );
    logger.info(`Prometheus metrics of all workers on http://${host}:${port}/metrics`);
    return server;
  } catch (error) {
    logger.error(
      `metrics listener could not bind ${host}:${port} (${(error as Error).message}); no metrics`,
    );
    return null;
  }
}
