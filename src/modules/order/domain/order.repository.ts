import { NewOrder, Order } from './order';
import { OrderStatus } from './order-status';
import { Payment } from './payment';

export interface OrderPage {
  items: Order[];
  totalItems: number;
}

/** Persistence port of the order module. Locking methods must run inside a transaction. */
export abstract class OrderRepository {
  /** The order with its lines and payment, in a bounded number of queries. */
  abstract findById(id: number): Promise<Order | null>;
  /**
   * Locks the row of an order known to exist (SELECT ... FOR UPDATE by primary key, nothing
   * else read) and returns its status. Never called for an id that may not exist: that would
   * take a gap lock at the end of the index, which every new order then waits on.
   */
  abstract lockStatus(id: number): Promise<OrderStatus>;
  /** Same, but returns null without waiting when another transaction holds the row. */
  abstract lockStatusSkipLocked(id: number): Promise<OrderStatus | null>;
  abstract findPageByUser(userId: number, page: number, size: number): Promise<OrderPage>;
  /** Ids of unpaid orders whose window has passed, oldest first (plain read, no lock). */
  abstract findExpiredIds(now: Date, limit: number): Promise<number[]>;
  /** Stores a new order and its lines; returns it saved, with its id. */
  abstract insert(order: NewOrder): Promise<Order>;
  abstract updateStatus(order: Order): Promise<void>;
  abstract insertPayment(
    orderId: number,
    userId: number,
    amount: number,
    paidAt: Date,
  ): Promise<Payment>;
  abstract markRefunded(orderId: number, refundedAt: Date): Promise<void>;
}
