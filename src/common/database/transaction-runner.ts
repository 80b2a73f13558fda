import { Injectable, Logger } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { ServiceUnavailableError } from '../errors/common.errors';
import { ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT, mysqlErrno } from './mysql-errors';

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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
