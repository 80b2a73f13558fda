import type { INestApplication } from '@nestjs/common';
import type { Logger as PinoLogger } from 'pino';

const FORCE_EXIT_AFTER_MS = 15_000;

/**
 * SIGTERM/SIGINT: stop taking requests, let those in flight finish, close the pool, exit 0.
 * (Nest's own shutdown hooks re-raise the signal, which would end the process with 143.)
 */
export function handleShutdownSignals(app: INestApplication, logger: PinoLogger): void {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, FORCE_EXIT_AFTER_MS).unref();
    app
      .close()
      .then(() => {
        logger.info('shutdown complete');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
