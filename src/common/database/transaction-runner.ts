import { Injectable, Logger } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { ServiceUnavailableError } from '../errors/common.errors';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver';
import type { PoolConnection } from 'mysql2';
import {
  ER_LOCK_DEADLOCK,
  ER_LOCK_WAIT_TIMEOUT,
  isConnectionError,
  mysqlErrno,
} from './mysql-errors';
import { ReplicatedPools } from './replicated-pools';

const MAX_ATTEMPTS = 3;

/**
 * The one transaction mechanism of the codebase: a unit of work on AsyncLocalStorage.
 *
 * `run(work)` opens a transaction (or joins the one already open), and every `query` issued
 * inside `work`, from any repository, goes through that transaction's connection. A deadlock
 * (1213) rolls back and re-runs the whole unit; a lock wait timeout (1205; every pooled
 * connection bounds its waits, see resilient-mysql2.ts) becomes a 503.
 * Chosen over @nestjs-cls/transactional by measurement (docs/decisions.md): no global
 * interceptor, and nothing but plain SQL is sent while a hot row lock is held.
 */
@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger(TransactionRunner.name);
  private readonly storage = new AsyncLocalStorage<QueryRunner>();

  constructor(private readonly dataSource: DataSource) {}

  get inTransaction(): boolean {
    return this.storage.getStore() !== undefined;
  }

  /** Runs SQL on the current transaction's connection, or on the pool outside one. */
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T> {
    const runner = this.storage.getStore();
    return runner ? runner.query(sql, parameters) : this.dataSource.query(sql, parameters);
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
    if (this.inTransaction || !replicas) return this.query<T>(sql, parameters);
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

  private get replicas(): ReplicatedPools | null {
    const cluster = (this.dataSource.driver as MysqlDriver).poolCluster as unknown;
    return cluster instanceof ReplicatedPools ? cluster : null;
  }

  /** The TypeORM manager bound to the current transaction (for non-hot ORM reads and writes). */
  get manager(): EntityManager {
    return this.storage.getStore()?.manager ?? this.dataSource.manager;
  }

  /**
   * `isolation` is for background claim queries: READ COMMITTED takes no gap locks, so a sweep
   * never blocks the inserts of business transactions. It applies only to a new transaction.
   */
  async run<T>(work: () => Promise<T>, isolation?: IsolationLevel): Promise<T> {
    if (this.inTransaction) return work();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.runOnce(work, isolation);
      } catch (error) {
        const errno = mysqlErrno(error);
        if (errno === ER_LOCK_DEADLOCK && attempt < MAX_ATTEMPTS) {
          this.logger.warn(`deadlock, retrying the transaction (attempt ${attempt + 1})`);
          await sleep(5 + Math.random() * 20 * attempt);
          continue;
        }
        if (errno === ER_LOCK_WAIT_TIMEOUT || errno === ER_LOCK_DEADLOCK) {
          throw new ServiceUnavailableError('The resource is busy; retry shortly');
        }
        throw error;
      }
    }
  }

  private async runOnce<T>(work: () => Promise<T>, isolation?: IsolationLevel): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction(isolation);
      const result = await this.storage.run(runner, work);
      await runner.commitTransaction();
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
}

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
