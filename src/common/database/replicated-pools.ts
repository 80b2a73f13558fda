import { Logger } from '@nestjs/common';
import type { Pool, PoolConnection, PoolOptions } from 'mysql2';

type ConnectionCallback = (
  error: NodeJS.ErrnoException | null,
  connection?: PoolConnection,
) => void;

/** How long a replica that failed is left out before a read tries it again. */
export const REPLICA_RETRY_AFTER_MS = 5_000;

interface Replica {
  name: string;
  address: string;
  pool: Pool;
  offlineUntil: number;
}

export interface ReplicaState {
  address: string;
  status: 'up' | 'down';
}

/**
 * What TypeORM's replication asks of mysql2's PoolCluster (`add`, `getConnection(pattern)`,
 * `end`), built from the resilient pools of `resilient-mysql2.ts`, so the primary keeps every
 * guard it has without replication (mysql2's own cluster builds plain pools, and takes a node
 * out after errors: the primary too, on acquire timeouts of a busy pool).
 *
 * - `MASTER` is the primary's pool, as without replicas.
 * - `SLAVE*` goes round robin over the replicas that answer. A replica that fails to give a
 *   connection, or whose connection a read marks failed (`markFailed`), is left out for
 *   REPLICA_RETRY_AFTER_MS; with no replica left, the read gets a primary connection: reads
 *   never fail because a replica is down, they are only slower.
 */
export class ReplicatedPools {
  private readonly logger = new Logger('Database');
  private primary: Pool | null = null;
  private readonly replicas: Replica[] = [];
  private readonly replicaOf = new WeakMap<PoolConnection, Replica>();
  private next = 0;

  constructor(private readonly createPool: (config: PoolOptions) => Pool) {}

  add(name: string, config: PoolOptions): void {
    const pool = this.createPool(config);
    if (name === 'MASTER') {
      this.primary = pool;
      return;
    }
    const address = `${config.host ?? 'localhost'}:${config.port ?? 3306}`;
    this.replicas.push({ name, address, pool, offlineUntil: 0 });
  }

  getConnection(pattern: string, callback: ConnectionCallback): void {
    if (pattern === 'MASTER') return this.primaryPool().getConnection(callback);
    this.replicaConnection(this.replicas.length, callback);
  }

  /** A replica read failed on this connection: leave its replica out for a while. */
  markFailed(connection: PoolConnection, error: unknown): void {
    const replica = this.replicaOf.get(connection);
    if (replica) this.takeOffline(replica, error);
  }

  /** True when `connection` came from a replica (not from the primary fallback). */
  isReplicaConnection(connection: PoolConnection): boolean {
    return this.replicaOf.has(connection);
  }

  /** The primary's pool and each replica's, named for metrics (`primary`, `host:port`). */
  pools(): Array<{ name: string; pool: Pool }> {
    return [
      ...(this.primary ? [{ name: 'primary', pool: this.primary }] : []),
      ...this.replicas.map((replica) => ({ name: replica.address, pool: replica.pool })),
    ];
  }

  /** Each replica with whether it answers `SELECT 1` within `timeoutMs` right now. */
  async states(timeoutMs: number): Promise<ReplicaState[]> {
    return Promise.all(
      this.replicas.map(async (replica) => ({
        address: replica.address,
        status: (await ping(replica.pool, timeoutMs)) ? ('up' as const) : ('down' as const),
      })),
    );
  }

  end(callback: (error?: Error | null) => void): void {
    const pools = [this.primary, ...this.replicas.map((replica) => replica.pool)].filter(
      (pool): pool is Pool => pool !== null,
    );
    let left = pools.length;
    let failure: Error | null = null;
    if (left === 0) return callback(null);
    for (const pool of pools) {
      pool.end((error) => {
        failure ??= error ?? null;
        if (--left === 0) callback(failure);
      });
    }
  }

  private replicaConnection(triesLeft: number, callback: ConnectionCallback): void {
    const replica = triesLeft > 0 ? this.nextOnlineReplica() : null;
    if (!replica) return this.primaryPool().getConnection(callback);
    replica.pool.getConnection((error, connection) => {
      if (error || !connection) {
        this.takeOffline(replica, error);
        return this.replicaConnection(triesLeft - 1, callback);
      }
      this.replicaOf.set(connection, replica);
      callback(null, connection);
    });
  }

  private nextOnlineReplica(): Replica | null {
    const now = Date.now();
    for (let i = 0; i < this.replicas.length; i++) {
      const replica = this.replicas[(this.next + i) % this.replicas.length];
      if (replica.offlineUntil <= now) {
        this.next = (this.next + i + 1) % this.replicas.length;
        return replica;
      }
    }
    return null;
  }

  private takeOffline(replica: Replica, error: unknown): void {
    const wasOnline = replica.offlineUntil <= Date.now();
    replica.offlineUntil = Date.now() + REPLICA_RETRY_AFTER_MS;
    if (wasOnline) {
      this.logger.warn(
        `replica ${replica.address} left out for ${REPLICA_RETRY_AFTER_MS / 1000} s: ${(error as Error)?.message ?? error}`,
      );
    }
  }

  private primaryPool(): Pool {
    if (!this.primary) throw new Error('the primary pool (MASTER) was never added');
    return this.primary;
  }
}

function ping(pool: Pool, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    pool.getConnection((error, connection) => {
      if (error || !connection) {
        clearTimeout(timer);
        return resolve(false);
      }
      connection.query({ sql: 'SELECT 1', timeout: timeoutMs }, (queryError) => {
        clearTimeout(timer);
        connection.release();
        resolve(!queryError);
      });
    });
  });
}
