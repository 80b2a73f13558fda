import { Injectable } from '@nestjs/common';
import { Actor } from '../../../common/auth/actor';
import { Clock } from '../../../common/clock/clock';
import { TransactionRunner } from '../../../common/database/transaction-runner';
import { Metrics } from '../../../common/metrics/metrics';
import { Page, pageOf } from '../../../common/pagination/page';
import { AppConfig } from '../../../config/app-config';
import { OutboxService } from '../../outbox';
import { BalanceService } from '../../balance';
import { CouponService } from '../../coupon';
import { Product, ProductService, StockLine } from '../../product';
import { OrderNotFoundError } from '../domain/errors/order-not-found.error';
import { Order } from '../domain/order';
import { OrderLine, orderLine, orderTotal } from '../domain/order-line';
import { OrderRepository } from '../domain/order.repository';
import { toPlatformOrder } from './platform-order';

export interface PlaceOrderCommand {
  userId: number;
  items: StockLine[];
  issuedCouponId?: number | null;
}

/**
 * Orders and their payment. Every state change is one transaction, opened here by the use case
 * (`transactions.run`), that takes its locks in the global order: order row → product rows
 * (ascending id) → issued coupon → balance row.
 *
 * Locks only after the cheap checks: what a plain read can refuse (an order that does not exist
 * or is someone else's, an unknown product, a short line, an issued coupon that cannot be used)
 * is refused before any lock is queued for, and checked again under the lock. Inside a
 * transaction the locking reads come first: a plain read there would open the snapshot that
 * MariaDB's innodb_snapshot_isolation checks every later lock against.
 */
@Injectable()
export class OrderService {
  constructor(
    private readonly orders: OrderRepository,
    private readonly products: ProductService,
    private readonly coupons: CouponService,
    private readonly balances: BalanceService,
    private readonly outbox: OutboxService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  async place(actor: Actor, command: PlaceOrderCommand): Promise<Order> {
    actor.assertCanActFor(command.userId);
    await this.assertPlaceable(command);
    return this.transactions.run(() => this.placeInTransaction(command));
  }

  /**
   * Refuses, with plain reads and before any lock, an order that placing would refuse: unknown
   * products, lines above the stock, an issued coupon that is missing, someone else's, used,
   * expired or above this order's amount. Prices never change, so the amount is the one
   * `placeInTransaction` computes under the locks, where everything is checked again.
   */
  async assertPlaceable(command: PlaceOrderCommand): Promise<void> {
    const products = await this.products.assertAvailable(command.items);
    if (!command.issuedCouponId) return;
    const amount = orderTotal(linesOf(command.items, products));
    await this.coupons.assertUsable(command.issuedCouponId, command.userId, amount);
  }

  /**
   * Reserves stock, uses the coupon and writes the order, in the caller's transaction (`place`'s,
   * or the cart checkout's): there is one copy of the ordering rules.
   */
  async placeInTransaction(command: PlaceOrderCommand): Promise<Order> {
    this.transactions.requireTransaction();
    const items = linesOf(command.items, await this.products.reserve(command.items));
    const issuedCouponId = command.issuedCouponId ?? null;
    const discountAmount = issuedCouponId
      ? (await this.coupons.useIssuedCoupon(issuedCouponId, command.userId, orderTotal(items)))
          .discountAmount
      : 0;
    this.transactions.afterCommit(() => this.metrics.orders.inc({ event: 'placed' }));
    return this.orders.insert(
      Order.place({
        userId: command.userId,
        items,
        discountAmount,
        issuedCouponId,
        now: this.clock.now(),
        paymentTtlSeconds: this.config.orderPaymentTtlSeconds,
      }),
    );
  }

  async get(actor: Actor, orderId: number): Promise<Order> {
    const order = await this.orders.findById(orderId);
    if (!order) throw new OrderNotFoundError(orderId);
    actor.assertCanActFor(order.userId);
    return order;
  }

  async listForUser(
    actor: Actor,
    userId: number,
    page: number,
    size: number,
  ): Promise<Page<Order>> {
    actor.assertCanActFor(userId);
    const result = await this.orders.findPageByUser(userId, page, size);
    return pageOf(result.items, page, size, result.totalItems);
  }

  /**
   * Pays from the balance. The balance row is locked last and held for the fewest statements:
   * the payment, the status and the outbox event are written first, the debit comes last, and
   * an insufficient balance rolls all of it back (the order stays payable).
   */
  async pay(actor: Actor, orderId: number): Promise<Order> {
    const read = await this.get(actor, orderId);
    return this.transactions.run(async () => {
      const order = await this.lockCurrent(read);
      const now = this.clock.now();
      order.pay(now);
      order.recordPayment(
        await this.orders.insertPayment(order.id, order.userId, order.payAmount, now),
      );
      await this.orders.updateStatus(order);
      await this.outbox.record('ORDER_PAID', toPlatformOrder(order));
      if (order.payAmount > 0) await this.balances.use(order.userId, order.payAmount, order.id);
      this.transactions.afterCommit(() => {
        this.metrics.orders.inc({ event: 'paid' });
        this.metrics.paymentAmount.inc(order.payAmount);
      });
      return order;
    });
  }

  /** Cancels a pending or paid order: stock back, coupon back, paid amount refunded. */
  async cancel(actor: Actor, orderId: number): Promise<Order> {
    const read = await this.get(actor, orderId);
    return this.transactions.run(async () => {
      const order = await this.lockCurrent(read);
      const now = this.clock.now();
      const { refund } = order.cancel(now);
      await this.returnReservations(order);
      await this.orders.updateStatus(order);
      if (refund) {
        await this.orders.markRefunded(order.id, now);
        await this.outbox.record('ORDER_REFUNDED', toPlatformOrder(order));
        if (order.payAmount > 0)
          await this.balances.refund(order.userId, order.payAmount, order.id);
      }
      this.transactions.afterCommit(() => this.metrics.orders.inc({ event: 'cancelled' }));
      return order;
    });
  }

  /**
   * Expires one unpaid order whose window has passed. Skips an order another transaction is
   * working on (SKIP LOCKED), so every process may sweep at once. Returns true if it expired it.
   */
  async expireIfDue(orderId: number): Promise<boolean> {
    const read = await this.orders.findById(orderId);
    if (!read?.isExpiredAt(this.clock.now())) return false;
    return this.transactions.run(async () => {
      // null: another transaction is working on it; another status: it was paid or cancelled.
      if ((await this.orders.lockStatusSkipLocked(read.id)) !== read.status) return false;
      const order = read.copy();
      if (!order.expire(this.clock.now())) return false;
      await this.returnReservations(order);
      await this.orders.updateStatus(order);
      this.transactions.afterCommit(() => this.metrics.orders.inc({ event: 'expired' }));
      return true;
    });
  }

  findExpiredIds(limit: number): Promise<number[]> {
    return this.orders.findExpiredIds(this.clock.now(), limit);
  }

  /**
   * Locks the row of an order that a plain read found (its owner was checked then and never
   * changes) and returns the order as it now is: the order read, when its status is still the
   * one read; otherwise it is read again, under the lock (a payment may have been added).
   */
  private async lockCurrent(read: Order): Promise<Order> {
    const status = await this.orders.lockStatus(read.id);
    if (status === read.status) return read.copy();
    return (await this.orders.findById(read.id))!;
  }

  private async returnReservations(order: Order): Promise<void> {
    await this.products.release(
      order.items.map(({ productId, quantity }) => ({ productId, quantity })),
    );
    if (order.issuedCouponId !== null) await this.coupons.restoreIssuedCoupon(order.issuedCouponId);
  }
}

/** The order's lines, priced with the products read (each line's product is among them). */
function linesOf(items: StockLine[], products: Product[]): OrderLine[] {
  const byId = new Map(products.map((product) => [product.id, product]));
  return items.map((line) => orderLine(byId.get(line.productId)!, line.quantity));
}
