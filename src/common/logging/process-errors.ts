import type { Logger as PinoLogger } from 'pino';

/**
 * Last line of defence for a promise nobody awaited. Node ends the process on an unhandled
 * rejection by default; here it is logged and the server keeps serving, because every request
 * and background job already maps or logs its own errors, state lives in the database (a
 * transaction that did not commit is rolled back by the server), and one stray rejection, say
 * from a driver while the database is away, must not take every other request down with it.
 * An uncaught exception still ends the process (Node's default): the stack may be mid-update.
 */
export function logUnhandledRejections(logger: PinoLogger): void {
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection (the process keeps running)');
  });
}
