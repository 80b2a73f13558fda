import { ValidationFailedError } from '../../../common/errors/common.errors';
import { OrderNotCancellableError } from './errors/order-not-cancellable.error';
import { OrderNotPayableError } from './errors/order-not-payable.error';
import { Order } from './order';
import { orderLine } from './order-line';

const t0 = new Date('2026-11-25T12:00:00.000Z');
const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

function placeOrder(discountAmount = 0): Order {
  const placed = Order.place({
    userId: 7,
    items: [
      orderLine({ id: 1, name: 'A', price: 1_000 }, 3),
      orderLine({ id: 2, name: 'B', price: 2_500 }, 2),
    ],
    discountAmount,
    issuedCouponId: discountAmount > 0 ? 9 : null,
    now: t0,
    paymentTtlSeconds: 600,
  });
  return new Order({ ...placed, id: 42 });
}

describe('Order', () => {
  it('totals its lines and subtracts the discount', () => {
    const order = placeOrder(1_500);
    expect(order.items.map((line) => line.amount)).toEqual([3_000, 5_000]);
    expect(order.totalAmount).toBe(8_000);
    expect(order.discountAmount).toBe(1_500);
    expect(order.payAmount).toBe(6_500);
    expect(order.status).toBe('PENDING_PAYMENT');
    expect(order.expiresAt).toEqual(later(600));
  });

  it('never discounts more than the total', () => {
    const order = placeOrder(50_000);
    expect(order.discountAmount).toBe(8_000);
    expect(order.payAmount).toBe(0);
  });

  it('needs at least one line', () => {
    expect(() =>
      Order.place({
        userId: 1,
        items: [],
        discountAmount: 0,
        issuedCouponId: null,
        now: t0,
        paymentTtlSeconds: 1,
      }),
    ).toThrow(ValidationFailedError);
  });

  describe('pay', () => {
    it('marks a pending order PAID at the given time', () => {
      const order = placeOrder();
      order.pay(later(10));
      expect(order.status).toBe('PAID');
      expect(order.paidAt).toEqual(later(10));
    });

    it('refuses an order that is already paid, cancelled or expired', () => {
      const paid = placeOrder();
      paid.pay(later(1));
      expect(() => paid.pay(later(2))).toThrow(OrderNotPayableError);

      const cancelled = placeOrder();
      cancelled.cancel(later(1));
      expect(() => cancelled.pay(later(2))).toThrow(OrderNotPayableError);

      const expired = placeOrder();
      expect(expired.expire(later(600))).toBe(true);
      expect(() => expired.pay(later(601))).toThrow(OrderNotPayableError);
    });

    it('refuses a pending order whose payment window has passed, even before the sweep', () => {
      const order = placeOrder();
      expect(() => order.pay(later(600))).toThrow(OrderNotPayableError);
      expect(order.status).toBe('PENDING_PAYMENT');
    });
  });

  describe('cancel', () => {
    it('cancels a pending order without a refund', () => {
      const order = placeOrder();
      expect(order.cancel(later(5))).toEqual({ refund: false });
      expect(order.status).toBe('CANCELLED');
      expect(order.closedAt).toEqual(later(5));
    });

    it('cancels a paid order and asks for a refund, stamping the payment', () => {
      const order = placeOrder();
      order.pay(later(1));
      order.recordPayment({ id: 3, amount: order.payAmount, paidAt: later(1), refundedAt: null });
      expect(order.cancel(later(5))).toEqual({ refund: true });
      expect(order.payment?.refundedAt).toEqual(later(5));
    });

    it('refuses a cancelled or expired order', () => {
      const cancelled = placeOrder();
      cancelled.cancel(later(1));
      expect(() => cancelled.cancel(later(2))).toThrow(OrderNotCancellableError);

      const expired = placeOrder();
      expired.expire(later(700));
      expect(() => expired.cancel(later(701))).toThrow(OrderNotCancellableError);
    });
  });

  describe('expire', () => {
    it('does nothing before expiresAt', () => {
      const order = placeOrder();
      expect(order.expire(later(599))).toBe(false);
      expect(order.status).toBe('PENDING_PAYMENT');
    });

    it('does nothing to a paid order', () => {
      const order = placeOrder();
      order.pay(later(1));
      expect(order.expire(later(900))).toBe(false);
      expect(order.status).toBe('PAID');
    });

    it('expires a pending order at expiresAt', () => {
      const order = placeOrder();
      expect(order.expire(later(600))).toBe(true);
      expect(order.status).toBe('EXPIRED');
      expect(order.closedAt).toEqual(later(600));
    });
  });
});
