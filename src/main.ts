import 'dotenv/config';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { configureApp, createFastifyAdapter } from './app.setup';
import { createLogger } from './common/logging/create-logger';
import { logUnhandledRejections } from './common/logging/process-errors';
import { PinoNestLogger } from './common/logging/pino-nest-logger';
import { loadConfigOrExit, explainStartupFailure, printWelcome } from './startup';
import { handleShutdownSignals } from './shutdown';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  logUnhandledRejections(logger);
  try {
    const app = await NestFactory.create<NestFastifyApplication>(
      AppModule.register(config),
      createFastifyAdapter(logger, config.trustProxy),
      { logger: new PinoNestLogger(logger), abortOnError: false },
    );
    await configureApp(app, config);
    await app.listen(config.port, '0.0.0.0');
    handleShutdownSignals(app, logger);
    printWelcome(app, config);
  } catch (error) {
    explainStartupFailure(error, config);
    process.exit(1);
  }
}

void bootstrap();
