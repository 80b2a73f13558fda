import { AsyncLocalStorage } from 'node:async_hooks';
import type { TransactionRunner } from '../../src/common/database/transaction-runner';

/**
 * The unit tests' TransactionRunner: `run` calls the work at once, with no database, and counts
 * the transactions opened and rolled back. It keeps the real runner's boundary rule: a `run`
 * inside an open transaction throws, and so does `requireTransaction` outside one. `afterCommit`
 * callbacks run once the work has ended without an error (at once outside a transaction).
 *
 * `begin`, when given, is called as each transaction starts and returns how to undo what it
 * wrote: a fake repository's snapshot, restored when the work throws, as a rollback would.
 */
export class FakeTransactionRunner {
  runs = 0;
  rollbacks = 0;
  private readonly open = new AsyncLocalStorage<Array<() => void>>();

  constructor(private readonly begin?: () => () => void) {}

  /** This fake, as the TransactionRunner a service's constructor takes. */
  get runner(): TransactionRunner {
    return this as unknown as TransactionRunner;
  }

  get inTransaction(): boolean {
    return this.open.getStore() !== undefined;
  }

  requireTransaction(): void {
    if (!this.inTransaction) throw new Error('must run inside a transaction (fake)');
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.inTransaction) throw new Error('a transaction is already open (fake)');
    this.runs++;
    const undo = this.begin?.();
    const committed: Array<() => void> = [];
    let result: T;
    try {
      result = await this.open.run(committed, work);
    } catch (error) {
      this.rollbacks++;
      undo?.();
      throw error;
    }
    for (const callback of committed) callback();
    return result;
  }

  afterCommit(callback: () => void): void {
    const committed = this.open.getStore();
    if (committed) committed.push(callback);
    else callback();
  }
}
