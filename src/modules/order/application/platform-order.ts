import type { PlatformOrder } from '../../outbox';
import type { Order } from '../domain/order';

/** The order as the data platform receives it (contract: Data platform). */
export function toPlatformOrder(order: Order): PlatformOrder {
  return {
    id: order.id,
    userId: order.userId,
    items: order.items.map(({ productId, quantity, unitPrice }) => ({
      productId,
      quantity,
      unitPrice,
    })),
    totalAmount: order.totalAmount,
    discountAmount: order.discountAmount,
    payAmount: order.payAmount,
    paidAt: order.paidAt?.toISOString() ?? null,
  };
}
