import type { BalanceChangeType } from './balance';

/** One ledger row: how a balance moved and what it became. */
export interface BalanceEntry {
  id: number;
  userId: number;
  type: BalanceChangeType;
  amount: number;
  balanceAfter: number;
  orderId: number | null;
  createdAt: Date;
}

export type NewBalanceEntry = Omit<BalanceEntry, 'id'>;
