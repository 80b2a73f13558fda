import { CartLine } from './cart-line';

/** Persistence port of the cart module. Locking methods must run inside a transaction. */
export abstract class CartRepository {
  /** The user's lines in ascending product id (plain read, no lock). */
  abstract findLines(userId: number): Promise<CartLine[]>;
  /**
   * Locks the user's lines, or only those of `productIds`, with one
   * `SELECT ... WHERE user_id = ? [AND product_id IN (...)] ORDER BY product_id FOR UPDATE`
   * through the unique key (user_id, product_id), and returns them in ascending product id.
   */
  abstract findLinesForUpdate(userId: number, productIds?: readonly number[]): Promise<CartLine[]>;
  /** Inserts the line, or sets the quantity of the existing one (INSERT ... ON DUPLICATE KEY UPDATE). */
  abstract upsertLine(userId: number, line: CartLine, now: Date): Promise<void>;
  /** Deletes the user's lines of these products; returns how many were deleted. */
  abstract deleteLines(userId: number, productIds: readonly number[]): Promise<number>;
  /** Deletes every line of the user. */
  abstract deleteAll(userId: number): Promise<void>;
}
