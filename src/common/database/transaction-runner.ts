import { Injectable, Logger } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { ServiceUnavailableError } from '../errors/common.errors';
import { Metrics } from '../metrics/metrics';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver';
import type { PoolConnection } from 'mysql2';
import {
  ER_CHECKREAD,
  ER_LOCK_WAIT_TIMEOUT,
  isConnectionError,
  isLockConflict,
  isRetryableConflict,
  mysqlErrno,
} from './mysql-errors';
import { ReplicatedPools, ReplicaState } from './replicated-pools';

const MAX_ATTEMPTS = 3;

/** One unit of work: its connection, and whether its transaction has begun. */
interface Unit {
  runner: QueryRunner;
  /** false until the transaction begins: at once for `run`, at the use case's `run` for `runDeferred`. */
  begun: boolean;
  /** Called once the transaction has committed (never when it rolled back). */
  afterCommit: Array<() => void>;
}

/**
 * The one transaction mechanism of the codebase: a unit of work on AsyncLocalStorage.
 *
 * Every transaction starts at `run(work)`, called by the entry use case (the service method a
 * controller or a job calls) and by nothing else: `grep -rn "transactions.run(" src` lists every
 * boundary. A collaborator that must run inside the caller's transaction (reserving stock, using
 * a coupon, debiting a balance, a locking claim) calls `requireTransaction()`, which throws when
 * none is open, and never opens its own; a `run` inside an open transaction throws too.
 *
 * Every `query` issued inside `work`, from any repository, goes through the unit's connection. A
 * deadlock (1213) or a snapshot-isolation conflict (1020), after which the server has rolled the
 * transaction back, re-runs the whole unit; a lock wait timeout (1205; every pooled connection
 * bounds its waits, see resilient-mysql2.ts) becomes a 503.
 * Chosen over @nestjs-cls/transactional by measurement (docs/decisions.md): no global
 * interceptor, and nothing but plain SQL is sent while a hot row lock is held.
 */
@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger(TransactionRunner.name);
  private readonly storage = new AsyncLocalStorage<Unit>();

  private readonly committed: ReturnType<Metrics['unitOfWork']['labels']>;
  private readonly rolledBack: ReturnType<Metrics['unitOfWork']['labels']>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: Metrics,
  ) {
    this.committed = metrics.unitOfWork.labels({ outcome: 'commit' });
    this.rolledBack = metrics.unitOfWork.labels({ outcome: 'rollback' });
  }

  get inTransaction(): boolean {
    return this.storage.getStore()?.begun === true;
  }

  /** Runs SQL on the current unit's connection, or on the pool outside one. */
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T> {
    const unit = this.storage.getStore();
    return unit ? unit.runner.query(sql, parameters) : this.dataSource.query(sql, parameters);
  }

  /**
   * A read that a replica may serve (DB_REPLICA_HOSTS): for the public catalogue reads that are
   * allowed to lag (a product page, popular products), never for anything that decides a write.
   * Inside a unit of work, or without replicas, it is `query` on the primary. A locking read is
   * refused. A replica that fails or does not answer within REPLICA_QUERY_TIMEOUT_MS is left out
   * for a while and the read is answered by the primary.
   */
  async readQuery<T = unknown>(sql: string, parameters: unknown[] = []): Promise<T> {
    if (LOCKING_READ.test(sql)) throw new Error(`a locking read never goes to a replica: ${sql}`);
    const replicas = this.replicas;
    if (this.storage.getStore() || !replicas) return this.query<T>(sql, parameters);
    const connection = await (this.dataSource.driver as MysqlDriver).obtainSlaveConnection();
    if (!replicas.isReplicaConnection(connection)) {
      return releasing(connection, () => queryOn<T>(connection, sql, parameters));
    }
    try {
      const rows = await queryOn<T>(connection, sql, parameters, REPLICA_QUERY_TIMEOUT_MS);
      connection.release();
      return rows;
    } catch (error) {
      if (!isConnectionError(error)) {
        connection.release();
        throw error;
      }
      replicas.markFailed(connection, error);
      connection.destroy();
      return this.dataSource.query(sql, parameters);
    }
  }

  /** Each read replica (DB_REPLICA_HOSTS) and whether it answers now; [] without replicas. */
  replicaStates(timeoutMs: number): Promise<ReplicaState[]> {
    return this.replicas?.states(timeoutMs) ?? Promise.resolve([]);
  }

  private get replicas(): ReplicatedPools | null {
    const cluster = (this.dataSource.driver as MysqlDriver).poolCluster as unknown;
    return cluster instanceof ReplicatedPools ? cluster : null;
  }

  /** The TypeORM manager bound to the current unit (for non-hot ORM reads and writes). */
  get manager(): EntityManager {
    return this.storage.getStore()?.runner.manager ?? this.dataSource.manager;
  }

  /**
   * Calls `callback` once the current transaction has committed, or at once outside one; never
   * when it rolls back (a retried attempt's callbacks are dropped with it). For in-process state
   * that must not run ahead of the database, such as clearing a cache.
   */
  afterCommit(callback: () => void): void {
    const unit = this.storage.getStore();
    if (unit?.begun) unit.afterCommit.push(callback);
    else callback();
  }

  /** Throws unless a transaction is open: for work that is only correct inside the caller's. */
  requireTransaction(): void {
    if (!this.inTransaction) {
      throw new Error(
        'this must run inside a transaction: the entry use case opens it with TransactionRunner.run',
      );
    }
  }

  /**
   * Runs `work` in a new transaction, committed when `work` ends: the boundary of a use case.
   * Inside an idempotency unit (`runDeferred`) it begins that unit's transaction instead, which
   * the unit commits. `isolation` is for background claim queries: READ COMMITTED takes no gap
   * locks, so a sweep never blocks the inserts of business transactions.
   */
  async run<T>(work: () => Promise<T>, isolation?: IsolationLevel): Promise<T> {
    const unit = this.storage.getStore();
    if (!unit) return this.retried(() => this.runOnce(work, true, isolation));
    if (unit.begun) {
      throw new Error(
        'a transaction is already open: a collaborator calls requireTransaction(), not run()',
      );
    }
    await unit.runner.startTransaction(isolation);
    unit.begun = true;
    return work();
  }

  /**
   * The idempotency interceptor's unit, whose stored response must commit with the use case's
   * effects: one connection for `work`, whose transaction begins only at the use case's `run`
   * and commits when `work` ends, with whatever `work` wrote after that `run` (the stored
   * response). The interceptor owns this unit: its connection, its commit and its retries (a
   * retry re-runs the handler). The plain reads a use case makes before its `run` (its cheap
   * checks) are then autocommit reads that hold no snapshot: a snapshot taken before the locks is
   * what MariaDB's innodb_snapshot_isolation checks every later lock against, failing it with
   * 1020 whenever the row changed since.
   */
  async runDeferred<T>(work: () => Promise<T>): Promise<T> {
    if (this.storage.getStore()) throw new Error('runDeferred inside a unit of work');
    return this.retried(() => this.runOnce(work, false));
  }

  private async retried<T>(attempt: () => Promise<T>): Promise<T> {
    const started = performance.now();
    for (let attempts = 1; ; attempts++) {
      try {
        const result = await attempt();
        this.committed.observe((performance.now() - started) / 1000);
        return result;
      } catch (error) {
        if (isRetryableConflict(error) && attempts < MAX_ATTEMPTS) {
          this.metrics.deadlockRetries.inc();
          this.logger.warn(
            `${conflictName(error)}, retrying the transaction (attempt ${attempts + 1})`,
          );
          await sleep(5 + Math.random() * 20 * attempts);
          continue;
        }
        this.rolledBack.observe((performance.now() - started) / 1000);
        if (isLockConflict(error)) {
          const timedOut = mysqlErrno(error) === ER_LOCK_WAIT_TIMEOUT;
          if (timedOut) this.metrics.lockWaitTimeouts.inc();
          throw new ServiceUnavailableError(
            'The resource is busy; retry shortly',
            timedOut ? 'lock_timeout' : 'deadlock',
          );
        }
        throw error;
      }
    }
  }

  private async runOnce<T>(
    work: () => Promise<T>,
    begin: boolean,
    isolation?: IsolationLevel,
  ): Promise<T> {
    const unit: Unit = {
      runner: this.dataSource.createQueryRunner(),
      begun: false,
      afterCommit: [],
    };
    const { runner } = unit;
    try {
      await runner.connect();
      if (begin) {
        await runner.startTransaction(isolation);
        unit.begun = true;
      }
      const result = await this.storage.run(unit, work);
      if (unit.begun) await runner.commitTransaction();
      this.afterCommitted(unit);
      return result;
    } catch (error) {
      if (runner.isTransactionActive) {
        await runner.rollbackTransaction().catch(() => undefined);
      }
      throw error;
    } finally {
      await runner.release().catch(() => undefined);
    }
  }

  /** The work is committed whatever a callback does: a callback's failure is logged, not thrown. */
  private afterCommitted(unit: Unit): void {
    for (const callback of unit.afterCommit) {
      try {
        callback();
      } catch (error) {
        this.logger.error(`an after-commit callback failed: ${(error as Error).message}`);
      }
    }
  }
}

const conflictName = (error: unknown) =>
  mysqlErrno(error) === ER_CHECKREAD ? 'record changed since the snapshot (1020)' : 'deadlock';

/** A replica read that takes longer is answered by the primary (the replica is left out). */
export const REPLICA_QUERY_TIMEOUT_MS = 1_000;
const LOCKING_READ = /\bFOR\s+(UPDATE|SHARE)\b|\bLOCK\s+IN\s+SHARE\s+MODE\b/i;

function queryOn<T>(
  connection: PoolConnection,
  sql: string,
  values: unknown[],
  timeout?: number,
): Promise<T> {
  return new Promise((resolve, reject) =>
    connection.query({ sql, values, timeout }, (error, rows) =>
      error ? reject(error) : resolve(rows as T),
    ),
  );
}

async function releasing<T>(connection: PoolConnection, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    connection.release();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
