import { Injectable } from '@nestjs/common';
import { placeholders } from '../../../common/database/sql-placeholders';
import { TransactionRunner } from '../../../common/database/transaction-runner';
import { NewOrder, Order } from '../domain/order';
import { OrderLine } from '../domain/order-line';
import { OrderPage, OrderRepository } from '../domain/order.repository';
import { OrderStatus } from '../domain/order-status';
import { Payment } from '../domain/payment';

interface OrderRow {
  id: number;
  user_id: number;
  status: OrderStatus;
  total_amount: number;
  discount_amount: number;
  pay_amount: number;
  issued_coupon_id: number | null;
  created_at: Date;
  expires_at: Date;
  paid_at: Date | null;
  closed_at: Date | null;
}

interface ItemRow {
  order_id: number;
  product_id: number;
  product_name: string;
  unit_price: number;
  quantity: number;
  amount: number;
}

interface PaymentRow {
  id: number;
  order_id: number;
  amount: number;
  paid_at: Date;
  refunded_at: Date | null;
}

const ORDER_COLUMNS =
  'id, user_id, status, total_amount, discount_amount, pay_amount, issued_coupon_id, created_at, expires_at, paid_at, closed_at';

/**
 * Hand-written SQL: an order with its lines and payment is always three statements, and a page
 * of orders is four, whatever the number of lines (no N+1).
 */
@Injectable()
export class SqlOrderRepository extends OrderRepository {
  constructor(private readonly db: TransactionRunner) {
    super();
  }

  async findById(id: number): Promise<Order | null> {
    const rows = await this.db.query<OrderRow[]>(
      `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ?`,
      [id],
    );
    return (await this.hydrate(rows))[0] ?? null;
  }

  async lockStatus(id: number): Promise<OrderStatus> {
    const [row] = await this.db.query<Pick<OrderRow, 'status'>[]>(
      'SELECT status FROM orders WHERE id = ? FOR UPDATE',
      [id],
    );
    if (!row) throw new Error(`order ${id} was locked but does not exist`);
    return row.status;
  }

  async lockStatusSkipLocked(id: number): Promise<OrderStatus | null> {
    const [row] = await this.db.query<Pick<OrderRow, 'status'>[]>(
      'SELECT status FROM orders WHERE id = ? FOR UPDATE SKIP LOCKED',
      [id],
    );
    return row?.status ?? null;
  }

  async findPageByUser(userId: number, page: number, size: number): Promise<OrderPage> {
    const [rows, [count]] = await Promise.all([
      this.db.query<OrderRow[]>(
        `SELECT ${ORDER_COLUMNS} FROM orders WHERE user_id = ? ORDER BY id DESC LIMIT ? OFFSET ?`,
        [userId, size, (page - 1) * size],
      ),
      this.db.query<{ total: number }[]>('SELECT COUNT(*) AS total FROM orders WHERE user_id = ?', [
        userId,
      ]),
    ]);
    return { items: await this.hydrate(rows), totalItems: Number(count.total) };
  }

  async findExpiredIds(now: Date, limit: number): Promise<number[]> {
    const rows = await this.db.query<{ id: number }[]>(
      `SELECT id FROM orders WHERE status = 'PENDING_PAYMENT' AND expires_at <= ? ORDER BY expires_at LIMIT ?`,
      [now, limit],
    );
    return rows.map((row) => Number(row.id));
  }

  async insert(order: NewOrder): Promise<Order> {
    const result = await this.db.query<{ insertId: number }>(
      `INSERT INTO orders (user_id, status, total_amount, discount_amount, pay_amount, issued_coupon_id, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        order.userId,
        order.status,
        order.totalAmount,
        order.discountAmount,
        order.payAmount,
        order.issuedCouponId,
        order.createdAt,
        order.expiresAt,
      ],
    );
    const id = Number(result.insertId);
    await this.db.query(
      `INSERT INTO order_items (order_id, product_id, product_name, unit_price, quantity, amount)
       VALUES ${order.items.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      order.items.flatMap((line) => [
        id,
        line.productId,
        line.name,
        line.unitPrice,
        line.quantity,
        line.amount,
      ]),
    );
    return new Order({ ...order, id });
  }

  async updateStatus(order: Order): Promise<void> {
    await this.db.query('UPDATE orders SET status = ?, paid_at = ?, closed_at = ? WHERE id = ?', [
      order.status,
      order.paidAt,
      order.closedAt,
      order.id,
    ]);
  }

  async insertPayment(
    orderId: number,
    userId: number,
    amount: number,
    paidAt: Date,
  ): Promise<Payment> {
    const result = await this.db.query<{ insertId: number }>(
      'INSERT INTO payments (order_id, user_id, amount, paid_at) VALUES (?, ?, ?, ?)',
      [orderId, userId, amount, paidAt],
    );
    return { id: Number(result.insertId), amount, paidAt, refundedAt: null };
  }

  async markRefunded(orderId: number, refundedAt: Date): Promise<void> {
    await this.db.query('UPDATE payments SET refunded_at = ? WHERE order_id = ?', [
      refundedAt,
      orderId,
    ]);
  }

  /** Loads the lines and payments of all given orders in two statements. */
  private async hydrate(rows: OrderRow[]): Promise<Order[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const [items, payments] = await Promise.all([
      this.db.query<ItemRow[]>(
        `SELECT order_id, product_id, product_name, unit_price, quantity, amount FROM order_items
          WHERE order_id IN (${placeholders(ids)}) ORDER BY id`,
        ids,
      ),
      this.db.query<PaymentRow[]>(
        `SELECT id, order_id, amount, paid_at, refunded_at FROM payments WHERE order_id IN (${placeholders(ids)})`,
        ids,
      ),
    ]);
    return rows.map(
      (row) =>
        new Order({
          id: Number(row.id),
          userId: Number(row.user_id),
          status: row.status,
          items: items.filter((item) => item.order_id === row.id).map(toLine),
          totalAmount: Number(row.total_amount),
          discountAmount: Number(row.discount_amount),
          payAmount: Number(row.pay_amount),
          issuedCouponId: row.issued_coupon_id === null ? null : Number(row.issued_coupon_id),
          createdAt: row.created_at,
          expiresAt: row.expires_at,
          paidAt: row.paid_at,
          closedAt: row.closed_at,
          payment: toPayment(payments.find((payment) => payment.order_id === row.id)),
        }),
    );
  }
}

const toLine = (row: ItemRow): OrderLine => ({
  productId: Number(row.product_id),
  name: row.product_name,
  unitPrice: Number(row.unit_price),
  quantity: Number(row.quantity),
  amount: Number(row.amount),
});

const toPayment = (row: PaymentRow | undefined): Payment | null =>
  row
    ? {
        id: Number(row.id),
        amount: Number(row.amount),
        paidAt: row.paid_at,
        refundedAt: row.refunded_at,
      }
    : null;
