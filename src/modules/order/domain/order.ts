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
  items: readonly OrderLine[];
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

/** An order not saved yet: what `Order.place` makes and `OrderRepository.insert` stores. */
export type NewOrder = Omit<OrderProps, 'id'>;

/**
 * An order and its state machine:
 * PENDING_PAYMENT → PAID (pay) | CANCELLED (cancel) | EXPIRED (expire, after expiresAt);
 * PAID → CANCELLED (cancel, refunded). CANCELLED and EXPIRED are final.
 */
export class Order {
  readonly id: number;
  readonly userId: number;
  readonly items: readonly OrderLine[];
  readonly totalAmount: number;
  readonly discountAmount: number;
  readonly payAmount: number;
  readonly issuedCouponId: number | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  private _status: OrderStatus;
  private _paidAt: Date | null;
  private _closedAt: Date | null;
  private _payment: Payment | null;

  constructor(props: OrderProps) {
    this.id = props.id;
    this.userId = props.userId;
    this.items = props.items;
    this.totalAmount = props.totalAmount;
    this.discountAmount = props.discountAmount;
    this.payAmount = props.payAmount;
    this.issuedCouponId = props.issuedCouponId;
    this.createdAt = props.createdAt;
    this.expiresAt = props.expiresAt;
    this._status = props.status;
    this._paidAt = props.paidAt;
    this._closedAt = props.closedAt;
    this._payment = props.payment;
  }

  /** A new order for lines whose stock is already reserved. */
  static place(command: PlaceOrder): NewOrder {
    if (command.items.length === 0) {
      throw new ValidationFailedError([
        { field: 'items', reason: 'an order needs at least one line' },
      ]);
    }
    const totalAmount = orderTotal(command.items);
    const discountAmount = Math.min(command.discountAmount, totalAmount);
    return {
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
    };
  }

  /** An independent copy: changing it leaves this one as it was. */
  copy(): Order {
    return new Order({
      id: this.id,
      userId: this.userId,
      status: this._status,
      items: this.items,
      totalAmount: this.totalAmount,
      discountAmount: this.discountAmount,
      payAmount: this.payAmount,
      issuedCouponId: this.issuedCouponId,
      createdAt: this.createdAt,
      expiresAt: this.expiresAt,
      paidAt: this._paidAt,
      closedAt: this._closedAt,
      payment: this._payment,
    });
  }

  get status(): OrderStatus {
    return this._status;
  }
  get paidAt(): Date | null {
    return this._paidAt;
  }
  get closedAt(): Date | null {
    return this._closedAt;
  }
  get payment(): Payment | null {
    return this._payment;
  }

  pay(now: Date): void {
    if (this._status !== 'PENDING_PAYMENT') {
      throw new OrderNotPayableError(this.id, `it is ${this._status}`);
    }
    if (now >= this.expiresAt) {
      throw new OrderNotPayableError(this.id, 'its payment window has passed');
    }
    this._status = 'PAID';
    this._paidAt = now;
  }

  recordPayment(payment: Payment): void {
    this._payment = payment;
  }

  /** Cancels a pending or paid order; returns true when the paid amount must be refunded. */
  cancel(now: Date): { refund: boolean } {
    const status = this._status;
    if (status !== 'PENDING_PAYMENT' && status !== 'PAID') {
      throw new OrderNotCancellableError(this.id, status);
    }
    const refund = status === 'PAID';
    this._status = 'CANCELLED';
    this._closedAt = now;
    if (refund && this._payment) this._payment = { ...this._payment, refundedAt: now };
    return { refund };
  }

  isExpiredAt(now: Date): boolean {
    return this._status === 'PENDING_PAYMENT' && now >= this.expiresAt;
  }

  /** Ends an unpaid order whose payment window has passed; false if it is not (or no longer) due. */
  expire(now: Date): boolean {
    if (!this.isExpiredAt(now)) return false;
    this._status = 'EXPIRED';
    this._closedAt = now;
    return true;
  }
}
