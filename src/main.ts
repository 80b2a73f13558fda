import 'dotenv/config';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { configureApp, createFastifyAdapter } from './app.setup';
import { databaseEnv } from './common/database/launcher';
import { createLogger } from './common/logging/create-logger';
import { logUnhandledRejections } from './common/logging/process-errors';
import { PinoNestLogger } from './common/logging/pino-nest-logger';
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
  const logger = createLogger(config.logLevel);
  logUnhandledRejections(logger);
  try {
    if (database.owned) await createDatabaseIfMissing(config);
    const app = await NestFactory.create<NestFastifyApplication>(
      AppModule.register(config),
      createFastifyAdapter(logger, config.trustProxy),
      { logger: new PinoNestLogger(logger), abortOnError: false },
    );
    await configureApp(app, config);
    await app.listen(config.port, '0.0.0.0');
    handleShutdownSignals(app, logger, () => database.release());
    await logDatabaseChoice(app, database, logger);
    printWelcome(app, config);
  } catch (error) {
    explainStartupFailure(error, config);
    await database.release().catch(() => undefined);
    process.exit(1);
  }
}

void bootstrap();
