import type { PlatformEvent } from '../../outbox';

/** Units to add to one product's sales on one UTC day (negative for a refund). */
export interface SalesDelta {
  salesDate: string;
  productId: number;
  quantity: number;
}

/**
 * Folds paid and refunded orders into per-product, per-day deltas. A refund subtracts from the
 * day the order was paid, so a refunded order stops counting in every window. Sorted by
 * (day, product) so concurrent writers lock the same rows in the same order.
 */
export function salesDeltas(events: PlatformEvent[]): SalesDelta[] {
  const totals = new Map<string, SalesDelta>();
  for (const event of events) {
    if (!event.order.paidAt) continue;
    const sign = event.type === 'ORDER_PAID' ? 1 : -1;
    const salesDate = event.order.paidAt.slice(0, 10);
    for (const item of event.order.items) {
      const key = `${salesDate}:${String(item.productId).padStart(20, '0')}`;
      const delta = totals.get(key) ?? { salesDate, productId: item.productId, quantity: 0 };
      delta.quantity += sign * item.quantity;
      totals.set(key, delta);
    }
  }
  return [...totals.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, delta]) => delta)
    .filter((delta) => delta.quantity !== 0);
}
