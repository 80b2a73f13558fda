import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../../common/database/transaction-runner';
import { Balance } from '../domain/balance';
import { BalanceEntry, NewBalanceEntry } from '../domain/balance-entry';
import { BalanceEntryPage, BalanceRepository } from '../domain/balance.repository';

interface EntryRow {
  id: number;
  user_id: number;
  type: BalanceEntry['type'];
  amount: number;
  balance_after: number;
  order_id: number | null;
  created_at: Date;
}

const toEntry = (row: EntryRow): BalanceEntry => ({
  id: Number(row.id),
  userId: Number(row.user_id),
  type: row.type,
  amount: Number(row.amount),
  balanceAfter: Number(row.balance_after),
  orderId: row.order_id === null ? null : Number(row.order_id),
  createdAt: row.created_at,
});

/** Every statement here is one hand-written round trip: most run under the balance row lock. */
@Injectable()
export class SqlBalanceRepository extends BalanceRepository {
  constructor(private readonly db: TransactionRunner) {
    super();
  }

  async findByUserId(userId: number): Promise<Balance> {
    const [row] = await this.db.query<{ amount: number }[]>(
      'SELECT amount FROM balances WHERE user_id = ?',
      [userId],
    );
    return new Balance({ userId, amount: row ? Number(row.amount) : 0 });
  }

  async lockForUpdate(userId: number): Promise<Balance> {
    // The upsert takes the row's exclusive lock whether or not it existed. INSERT IGNORE would
    // take a shared lock on an existing row, and two such holders deadlock on the FOR UPDATE.
    await this.db.query(
      'INSERT INTO balances (user_id, amount) VALUES (?, 0) ON DUPLICATE KEY UPDATE user_id = user_id',
      [userId],
    );
    const [row] = await this.db.query<{ amount: number }[]>(
      'SELECT amount FROM balances WHERE user_id = ? FOR UPDATE',
      [userId],
    );
    return new Balance({ userId, amount: Number(row.amount) });
  }

  async save(balance: Balance, now: Date): Promise<void> {
    await this.db.query('UPDATE balances SET amount = ?, updated_at = ? WHERE user_id = ?', [
      balance.amount,
      now,
      balance.userId,
    ]);
  }

  async append(entry: NewBalanceEntry): Promise<void> {
    await this.db.query(
      `INSERT INTO balance_history (user_id, type, amount, balance_after, order_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [entry.userId, entry.type, entry.amount, entry.balanceAfter, entry.orderId, entry.createdAt],
    );
  }

  async findEntries(userId: number, page: number, size: number): Promise<BalanceEntryPage> {
    const [rows, [count]] = await Promise.all([
      this.db.query<EntryRow[]>(
        `SELECT id, user_id, type, amount, balance_after, order_id, created_at FROM balance_history
          WHERE user_id = ? ORDER BY id DESC LIMIT ? OFFSET ?`,
        [userId, size, (page - 1) * size],
      ),
      this.db.query<{ total: number }[]>(
        'SELECT COUNT(*) AS total FROM balance_history WHERE user_id = ?',
        [userId],
      ),
    ]);
    return { items: rows.map(toEntry), totalItems: Number(count.total) };
  }
}
