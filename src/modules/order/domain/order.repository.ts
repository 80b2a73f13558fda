import { Order } from './order';
import { Payment } from './payment';

export interface OrderPage {
  items: Order[];
  totalItems: number;
}

/** Persistence port of the order module. Locking methods must run inside a transaction. */
export abstract class OrderRepository {
  /** The order with its lines and payment, in a bounded number of queries. */
  abstract findById(id: number): Promise<Order | null>;
  /** Locks the order row (SELECT ... FOR UPDATE by primary key), then loads lines and payment. */
  abstract findByIdForUpdate(id: number): Promise<Order | null>;
  /** Same, but skips (returns null) when another transaction holds the row. */
  abstract findByIdForUpdateSkipLocked(id: number): Promise<Order | null>;
  abstract findPageByUser(userId: number, page: number, size: number): Promise<OrderPage>;
  /** Ids of unpaid orders whose window has passed, oldest first (plain read, no lock). */
  abstract findExpiredIds(now: Date, limit: number): Promise<number[]>;
  /** Inserts the order and its lines; assigns the id. */
  abstract insert(order: Order): Promise<void>;
  abstract updateStatus(order: Order): Promise<void>;
  abstract insertPayment(
    orderId: number,
    userId: number,
    amount: number,
    paidAt: Date,
  ): Promise<Payment>;
  abstract markRefunded(orderId: number, refundedAt: Date): Promise<void>;
}
