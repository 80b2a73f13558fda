import type { Pool } from 'mysql2';
import { DataSource } from 'typeorm';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver';
import { within } from '../async/within';
import { ReplicatedPools } from '../database/replicated-pools';
import { Metrics } from './metrics';

/** What mysql2's pool keeps (not part of its typings): read at scrape time, never written. */
interface PoolInternals {
  _allConnections: { length: number };
  _freeConnections: { length: number };
  _connectionQueue: { length: number };
}

/** How long a scrape waits for the database's `SELECT 1` before it says the database is down. */
const PING_TIMEOUT_MS = 1_000;

/**
 * Read when Prometheus scrapes: whether the primary answers `SELECT 1` (db_up, for the
 * "database down" alert), and connection pool usage: connections in use and idle, and requests
 * waiting for one (a pool that is always empty-handed means DB_POOL_SIZE or the database is the
 * bottleneck), for the primary's pool and each replica's.
 */
export function registerDatabaseMetrics(metrics: Metrics, dataSource: DataSource): void {
  metrics.gauge(
    'db_up',
    'Whether the primary database answers (1) or not (0)',
    [],
    async (gauge) => {
      try {
        await within(dataSource.query('SELECT 1'), PING_TIMEOUT_MS, 'SELECT 1');
        gauge.set(1);
      } catch {
        gauge.set(0);
      }
    },
    'min',
  );
  const pools = (): Array<{ name: string; pool: Pool }> => {
    const driver = dataSource.driver as MysqlDriver;
    if (driver.poolCluster instanceof ReplicatedPools) return driver.poolCluster.pools();
    return driver.pool ? [{ name: 'primary', pool: driver.pool as Pool }] : [];
  };
  const internals = (pool: Pool) => pool as unknown as PoolInternals;
  metrics.gauge(
    'db_pool_connections',
    'Pooled database connections by state (in_use, idle)',
    ['pool', 'state'],
    (gauge) => {
      for (const { name, pool } of pools()) {
        const all = internals(pool)._allConnections.length;
        const idle = internals(pool)._freeConnections.length;
        gauge.set({ pool: name, state: 'in_use' }, all - idle);
        gauge.set({ pool: name, state: 'idle' }, idle);
      }
    },
  );
  metrics.gauge(
    'db_pool_waiting_requests',
    'Requests waiting for a pooled database connection',
    ['pool'],
    (gauge) => {
      for (const { name, pool } of pools()) {
        gauge.set({ pool: name }, internals(pool)._connectionQueue.length);
      }
    },
  );
}
