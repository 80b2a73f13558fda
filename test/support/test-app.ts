import { NestFactory } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp, createFastifyAdapter } from '../../src/app.setup';
import { TokenVerifier } from '../../src/common/auth/token-verifier';
import { ProcessCaches } from '../../src/common/cache/process-caches';
import { createLogger } from '../../src/common/logging/create-logger';
import { PinoNestLogger } from '../../src/common/logging/pino-nest-logger';
import { AppConfig } from '../../src/config/app-config';
import { installResponseChecks, responseChecks } from './openapi-validator';
import { testConfig } from './test-config';
import { truncateAll, workerDatabase } from './test-database';

/** The instances this worker has started and not closed (they share its database). */
const openApps = new Set<NestFastifyApplication>();

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** http://127.0.0.1:<port>: the app really listens, so concurrent requests are real ones. */
  baseUrl: string;
  dataSource: DataSource;
  token(userId: number, options?: { admin?: boolean }): string;
  /** `Authorization` header value for a user. */
  auth(userId: number, options?: { admin?: boolean }): { Authorization: string };
  reset(): Promise<void>;
  /** Stops this instance's scheduled jobs (relay, sweeps), so a test can drive them itself. */
  stopBackgroundJobs(): void;
  close(): Promise<void>;
}

/**
 * Starts the real application (same module, same configureApp as main.ts) on this worker's
 * test database. Two calls give two independent instances (two pools) on one database.
 * `logTo` receives the app's log lines (with a LOG_LEVEL in `env` that writes them).
 */
export async function startTestApp(
  env: Record<string, string> = {},
  { logTo }: { logTo?: DestinationStream } = {},
): Promise<TestApp> {
  const config = testConfig({ dbName: await workerDatabase(), env });
  const logger = createLogger(config.logLevel, logTo);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config),
    createFastifyAdapter(logger, config.trustProxy),
    { logger: new PinoNestLogger(logger), abortOnError: false },
  );
  await configureApp(app, config);
  // e2e: every response is checked against the OpenAPI document (test/support/openapi-validator.ts).
  const checks = responseChecks();
  if (checks) installResponseChecks(app, checks);
  await app.listen(0, '127.0.0.1');
  openApps.add(app);
  const address = app.getHttpServer().address() as { port: number };
  const verifier = app.get(TokenVerifier);
  const dataSource = app.get(DataSource);
  const token = (userId: number, options: { admin?: boolean } = {}) =>
    verifier.sign(userId, options.admin);
  return {
    app,
    config,
    baseUrl: `http://127.0.0.1:${address.port}`,
    dataSource,
    token,
    auth: (userId, options) => ({ Authorization: `Bearer ${token(userId, options)}` }),
    reset: async () => {
      await truncateAll(dataSource);
      // Every instance on this worker's database forgets what it knew of the rows just deleted.
      for (const open of openApps) open.get(ProcessCaches).clearAll();
    },
    stopBackgroundJobs: () => {
      const registry = app.get(SchedulerRegistry);
      for (const name of registry.getIntervals()) registry.deleteInterval(name);
    },
    close: () => {
      openApps.delete(app);
      return app.close();
    },
  };
}
