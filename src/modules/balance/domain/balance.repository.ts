import { Balance } from './balance';
import { BalanceEntry, NewBalanceEntry } from './balance-entry';

export interface BalanceEntryPage {
  items: BalanceEntry[];
  totalItems: number;
}

/** Persistence port of the balance module. Locking methods must run inside a transaction. */
export abstract class BalanceRepository {
  /** A user without a row has balance 0. */
  abstract findByUserId(userId: number): Promise<Balance>;
  /**
   * Creates the row if missing (never racing on a missing row), then locks it with
   * SELECT ... FOR UPDATE.
   */
  abstract lockForUpdate(userId: number): Promise<Balance>;
  abstract save(balance: Balance, now: Date): Promise<void>;
  abstract append(entry: NewBalanceEntry): Promise<void>;
  abstract findEntries(userId: number, page: number, size: number): Promise<BalanceEntryPage>;
}
