import { Logger } from '@nestjs/common';
import * as mysql2 from 'mysql2';
import type { Pool, PoolConnection, PoolOptions } from 'mysql2';
import { ReplicatedPools } from './replicated-pools';

/** `code` of the error a request gets when no pooled connection came within the acquire timeout. */
export const POOL_ACQUIRE_TIMEOUT = 'POOL_ACQUIRE_TIMEOUT';

export interface ResilientPoolOptions {
  /** Longest wait in `getConnection` (a free connection, or a new one being opened). */
  acquireTimeoutMs: number;
  /** `innodb_lock_wait_timeout` of every pooled connection (MySQL's default is 50 s). */
  lockWaitTimeoutSeconds: number;
}

type GetConnectionCallback = (
  error: NodeJS.ErrnoException | null,
  connection?: PoolConnection,
) => void;

/**
 * mysql2 as TypeORM's driver (`driver` option), with what the plain pool lacks (with replicas,
 * for the primary's pool and each replica's, see replicated-pools.ts):
 *
 * - Every connection bounds its lock waits (`innodb_lock_wait_timeout`) from its first statement.
 *
 * - Every pooled connection gets a permanent 'error' listener. mysql2's PoolConnection only
 *   listens with `once`, and TypeORM adds its own listener only to a connection that has none,
 *   so a second 'error' on a connection (a dead socket that is written to again, an error packet
 *   from a server shutting down, then the socket closing) would be an unhandled 'error' event
 *   and end the process.
 * - `getConnection` gives up after `acquireTimeoutMs` with a POOL_ACQUIRE_TIMEOUT error (503).
 *   mysql2 has no acquire timeout: without one a request waits in the pool's queue for as long
 *   as the connections ahead of it are stuck. A connection that arrives after its caller gave up
 *   goes straight back to the pool.
 */
export function resilientMysql2(options: ResilientPoolOptions): typeof mysql2 {
  const logger = new Logger('Database');
  const createPool = (config: PoolOptions) => {
    const pool = mysql2.createPool(config);
    guardConnectionErrors(pool, logger);
    boundLockWaits(pool, options.lockWaitTimeoutSeconds, logger);
    boundAcquireWait(pool, options.acquireTimeoutMs);
    return pool;
  };
  return {
    // TypeORM checks that the driver object has own keys and calls createPool/createPoolCluster.
    ...mysql2,
    createPool,
    // With DB_REPLICA_HOSTS: the same pools, for the primary and each replica.
    createPoolCluster: () => new ReplicatedPools(createPool),
  } as unknown as typeof mysql2;
}

function guardConnectionErrors(pool: Pool, logger: Logger): void {
  pool.on('connection', (connection) => {
    connection.on('error', (error: NodeJS.ErrnoException) => {
      logger.warn(`pooled connection dropped: ${error.code ?? ''} ${error.message}`.trim());
    });
  });
}

/**
 * Sets the lock wait bound on each new connection before it is handed out: commands on one
 * connection run in order, so no statement of the app runs without it.
 */
function boundLockWaits(pool: Pool, seconds: number, logger: Logger): void {
  pool.on('connection', (connection) => {
    connection.query(`SET SESSION innodb_lock_wait_timeout = ${Math.trunc(seconds)}`, (error) => {
      if (error) logger.warn(`could not bound lock waits on a new connection: ${error.message}`);
    });
  });
}

function boundAcquireWait(pool: Pool, timeoutMs: number): void {
  const getConnection = pool.getConnection.bind(pool) as (callback: GetConnectionCallback) => void;
  (pool as unknown as { getConnection: (callback: GetConnectionCallback) => void }).getConnection =
    (callback) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        callback(acquireTimeoutError(timeoutMs));
      }, timeoutMs);
      getConnection((error, connection) => {
        clearTimeout(timer);
        if (settled) {
          connection?.release();
          return;
        }
        settled = true;
        callback(error, connection);
      });
    };
}

function acquireTimeoutError(timeoutMs: number): NodeJS.ErrnoException {
  return Object.assign(
    new Error(`no database connection became available within ${timeoutMs} ms`),
    { code: POOL_ACQUIRE_TIMEOUT },
  );
}
