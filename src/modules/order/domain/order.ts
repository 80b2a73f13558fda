import { ValidationFailedError } from '../../../common/errors/common.errors';
import { OrderNotCancellableError } from './errors/order-not-cancellable.error';
import { OrderNotPayableError } from './errors/order-not-payable.error';
import { OrderLine, orderTotal } from './order-line';
import { OrderStatus } from './order-status';
import { Payment } from './payment';

export interface OrderProps {
  id: number;
  userId: number;
  status: OrderStatus;
  items: OrderLine[];
  totalAmount: number;
  discountAmount: number;
  payAmount: number;
  issuedCouponId: number | null;
  createdAt: Date;
  expiresAt: Date;
  paidAt: Date | null;
  closedAt: Date | null;
  payment: Payment | null;
}

export interface PlaceOrder {
  userId: number;
  items: OrderLine[];
  discountAmount: number;
  issuedCouponId: number | null;
  now: Date;
  paymentTtlSeconds: number;
}

/**
 * An order and its state machine:
 * PENDING_PAYMENT → PAID (pay) | CANCELLED (cancel) | EXPIRED (expire, after expiresAt);
 * PAID → CANCELLED (cancel, refunded). CANCELLED and EXPIRED are final.
 */
export class Order {
  private constructor(private props: OrderProps) {}

  static restore(props: OrderProps): Order {
    return new Order({ ...props });
  }

  /** An independent copy: changing it leaves this one as it was. */
  copy(): Order {
    return new Order({ ...this.props });
  }

  /** A new, not yet stored order (id 0) for lines whose stock is already reserved. */
  static place(command: PlaceOrder): Order {
    if (command.items.length === 0) {
      throw new ValidationFailedError([
        { field: 'items', reason: 'an order needs at least one line' },
      ]);
    }
    const totalAmount = orderTotal(command.items);
    const discountAmount = Math.min(command.discountAmount, totalAmount);
    return new Order({
      id: 0,
      userId: command.userId,
      status: 'PENDING_PAYMENT',
      items: command.items,
      totalAmount,
      discountAmount,
      payAmount: totalAmount - discountAmount,
      issuedCouponId: command.issuedCouponId,
      createdAt: command.now,
      expiresAt: new Date(command.now.getTime() + command.paymentTtlSeconds * 1000),
      paidAt: null,
      closedAt: null,
      payment: null,
    });
  }

  get id(): number {
    return this.props.id;
  }
  get userId(): number {
    return this.props.userId;
  }
  get status(): OrderStatus {
    return this.props.status;
  }
  get items(): readonly OrderLine[] {
    return this.props.items;
  }
  get totalAmount(): number {
    return this.props.totalAmount;
  }
  get discountAmount(): number {
    return this.props.discountAmount;
  }
  get payAmount(): number {
    return this.props.payAmount;
  }
  get issuedCouponId(): number | null {
    return this.props.issuedCouponId;
  }
  get createdAt(): Date {
    return this.props.createdAt;
  }
  get expiresAt(): Date {
    return this.props.expiresAt;
  }
  get paidAt(): Date | null {
    return this.props.paidAt;
  }
  get closedAt(): Date | null {
    return this.props.closedAt;
  }
  get payment(): Payment | null {
    return this.props.payment;
  }

  assignId(id: number): void {
    this.props = { ...this.props, id };
  }

  pay(now: Date): void {
    if (this.props.status !== 'PENDING_PAYMENT') {
      throw new OrderNotPayableError(this.id, `it is ${this.props.status}`);
    }
    if (now >= this.props.expiresAt) {
      throw new OrderNotPayableError(this.id, 'its payment window has passed');
    }
    this.props = { ...this.props, status: 'PAID', paidAt: now };
  }

  recordPayment(payment: Payment): void {
    this.props = { ...this.props, payment };
  }

  /** Cancels a pending or paid order; returns true when the paid amount must be refunded. */
  cancel(now: Date): { refund: boolean } {
    const { status } = this.props;
    if (status !== 'PENDING_PAYMENT' && status !== 'PAID') {
      throw new OrderNotCancellableError(this.id, status);
    }
    const refund = status === 'PAID';
    this.props = {
      ...this.props,
      status: 'CANCELLED',
      closedAt: now,
      payment:
        refund && this.props.payment
          ? { ...this.props.payment, refundedAt: now }
          : this.props.payment,
    };
    return { refund };
  }

  isExpiredAt(now: Date): boolean {
    return this.props.status === 'PENDING_PAYMENT' && now >= this.props.expiresAt;
  }

  /** Ends an unpaid order whose payment window has passed; false if it is not (or no longer) due. */
  expire(now: Date): boolean {
    if (!this.isExpiredAt(now)) return false;
    this.props = { ...this.props, status: 'EXPIRED', closedAt: now };
    return true;
  }
}
