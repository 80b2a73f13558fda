import type { PlatformEvent } from '../../outbox';
import { salesDeltas } from './sales-delta';

const event = (
  type: PlatformEvent['type'],
  paidAt: string | null,
  items: [number, number][],
): PlatformEvent => ({
  eventId: `${type}-${paidAt}`,
  type,
  occurredAt: '2026-11-25T00:00:00.000Z',
  order: {
    id: 1,
    userId: 1,
    items: items.map(([productId, quantity]) => ({ productId, quantity, unitPrice: 100 })),
    totalAmount: 0,
    discountAmount: 0,
    payAmount: 0,
    paidAt,
  },
});

describe('salesDeltas', () => {
  it('adds paid units per product and UTC day', () => {
    expect(
      salesDeltas([
        event('ORDER_PAID', '2026-11-24T23:59:59.000Z', [
          [2, 3],
          [1, 1],
        ]),
        event('ORDER_PAID', '2026-11-25T00:00:01.000Z', [[2, 4]]),
        event('ORDER_PAID', '2026-11-24T10:00:00.000Z', [[2, 1]]),
      ]),
    ).toEqual([
      { salesDate: '2026-11-24', productId: 1, quantity: 1 },
      { salesDate: '2026-11-24', productId: 2, quantity: 4 },
      { salesDate: '2026-11-25', productId: 2, quantity: 4 },
    ]);
  });

  it('subtracts a refund from the day the order was paid, dropping rows that net to zero', () => {
    expect(
      salesDeltas([
        event('ORDER_PAID', '2026-11-24T10:00:00.000Z', [
          [5, 2],
          [6, 1],
        ]),
        event('ORDER_REFUNDED', '2026-11-24T10:00:00.000Z', [[5, 2]]),
      ]),
    ).toEqual([{ salesDate: '2026-11-24', productId: 6, quantity: 1 }]);
  });

  it('orders products numerically, not as text', () => {
    const deltas = salesDeltas([
      event('ORDER_PAID', '2026-11-24T10:00:00.000Z', [
        [10, 1],
        [9, 1],
      ]),
    ]);
    expect(deltas.map((d) => d.productId)).toEqual([9, 10]);
  });
});
