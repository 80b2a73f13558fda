import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import type { Logger as PinoLogger } from 'pino';

const FORCE_EXIT_AFTER_MS = 15_000;
const IDLE_SWEEP_MS = 100;

/**
 * SIGTERM/SIGINT: stop taking requests, let those in flight finish, close the pool, run
 * `onClosed` (stops a private database nobody else uses), exit 0.
 * (Nest's own shutdown hooks re-raise the signal, which would end the process with 143.)
 *
 * Closing the HTTP server waits for every connection to end, and the connection of a request
 * that was in flight stays open as an idle keep-alive connection after its answer: Node closes
 * idle connections once, when the server starts closing, not the ones that become idle later. So
 * while draining, idle connections are closed every 100 ms; otherwise a client that keeps its
 * connection alive (every browser, undici/fetch) held the shutdown until the 15 s force-exit.
 */
export function handleShutdownSignals(
  app: INestApplication,
  logger: PinoLogger,
  onClosed: () => Promise<void>,
): void {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, FORCE_EXIT_AFTER_MS).unref();
    const server = app.getHttpServer() as Server;
    setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS).unref();
    app
      .close()
      .then(onClosed)
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
