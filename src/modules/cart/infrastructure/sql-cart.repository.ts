import { Injectable } from '@nestjs/common';
import { placeholders } from '../../../common/database/sql-placeholders';
import { TransactionRunner } from '../../../common/database/transaction-runner';
import { CartLine } from '../domain/cart-line';
import { CartRepository } from '../domain/cart.repository';

/** Persistence model of a `cart_items` row (as mysql2 returns it). */
interface CartItemRow {
  product_id: number;
  quantity: number;
}

const toLine = (row: CartItemRow): CartLine =>
  new CartLine(Number(row.product_id), Number(row.quantity));

/**
 * Hand-written SQL, one round trip each: the locking read runs at the start of a checkout, in
 * front of the product locks, so nothing but plain SQL is sent while it is held.
 */
@Injectable()
export class SqlCartRepository extends CartRepository {
  constructor(private readonly db: TransactionRunner) {
    super();
  }

  async findLines(userId: number): Promise<CartLine[]> {
    const rows = await this.db.query<CartItemRow[]>(
      'SELECT product_id, quantity FROM cart_items WHERE user_id = ? ORDER BY product_id',
      [userId],
    );
    return rows.map(toLine);
  }

  async findLinesForUpdate(userId: number, productIds?: readonly number[]): Promise<CartLine[]> {
    if (productIds && productIds.length === 0) return [];
    // Through the unique key (user_id, product_id) only: no join, one table, ascending product id.
    const rows = productIds
      ? await this.db.query<CartItemRow[]>(
          `SELECT product_id, quantity FROM cart_items
            WHERE user_id = ? AND product_id IN (${placeholders(productIds)})
            ORDER BY product_id FOR UPDATE`,
          [userId, ...productIds],
        )
      : await this.db.query<CartItemRow[]>(
          'SELECT product_id, quantity FROM cart_items WHERE user_id = ? ORDER BY product_id FOR UPDATE',
          [userId],
        );
    return rows.map(toLine);
  }

  async upsertLine(userId: number, line: CartLine, now: Date): Promise<void> {
    // The unique key (user_id, product_id) is the backstop: a user never has two rows of one product.
    // (Parameters rather than VALUES(), which MySQL 8 deprecates.)
    await this.db.query(
      `INSERT INTO cart_items (user_id, product_id, quantity, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE quantity = ?, updated_at = ?`,
      [userId, line.productId, line.quantity, now, now, line.quantity, now],
    );
  }

  async deleteLines(userId: number, productIds: readonly number[]): Promise<number> {
    if (productIds.length === 0) return 0;
    const result = await this.db.query<{ affectedRows: number }>(
      `DELETE FROM cart_items WHERE user_id = ? AND product_id IN (${placeholders(productIds)})`,
      [userId, ...productIds],
    );
    return Number(result.affectedRows);
  }

  async deleteAll(userId: number): Promise<void> {
    await this.db.query('DELETE FROM cart_items WHERE user_id = ?', [userId]);
  }
}
