import 'dotenv/config';
import cluster from 'node:cluster';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { configureApp, createFastifyAdapter } from './app.setup';
import { runClusterPrimary } from './cluster-primary';
import { databaseEnv } from './common/database/launcher';
import { createLogger } from './common/logging/create-logger';
import { logUnhandledRejections } from './common/logging/process-errors';
import { PinoNestLogger } from './common/logging/pino-nest-logger';
import { answerPrimaryScrapes } from './common/metrics/cluster-worker-metrics';
import { Metrics } from './common/metrics/metrics';
import { withLocalJwtSecret } from './config/local-jwt-secret';
import {
  createDatabaseIfMissing,
  explainStartupFailure,
  loadConfigOrExit,
  locateDatabaseOrExit,
  logDatabaseChoice,
  printWelcome,
} from './startup';
import { handleShutdownSignals } from './shutdown';

async function bootstrap(): Promise<void> {
  const env = withLocalJwtSecret(process.env);
  loadConfigOrExit(env); // a bad value stops start-up before any database is started
  const database = await locateDatabaseOrExit(env);
  const config = loadConfigOrExit({ ...env, ...databaseEnv(database) });
  // A worker's lines say which worker wrote them.
  const logger = cluster.isWorker
    ? createLogger(config.logLevel).child({ worker: cluster.worker?.id })
    : createLogger(config.logLevel);
  logUnhandledRejections(logger);
  try {
    if (database.owned) await createDatabaseIfMissing(config);
    if (cluster.isPrimary && config.webConcurrency > 1) {
      await runClusterPrimary(config, env, database, logger);
      return;
    }
    const app = await NestFactory.create<NestFastifyApplication>(
      AppModule.register(config),
      createFastifyAdapter(logger, config.trustProxy),
      { logger: new PinoNestLogger(logger), abortOnError: false },
    );
    await configureApp(app, config);
    await app.listen(config.port, '0.0.0.0');
    handleShutdownSignals(app, logger, () => database.release());
    if (cluster.isWorker) {
      answerPrimaryScrapes(app.get(Metrics).registry);
      // The primary has said where the database is; one worker greets.
      if (cluster.worker?.id === 1) printWelcome(app, config);
      return;
    }
    await logDatabaseChoice(app, database, logger);
    printWelcome(app, config);
  } catch (error) {
    explainStartupFailure(error, config);
    await database.release().catch(() => undefined);
    process.exit(1);
  }
}

void bootstrap();
