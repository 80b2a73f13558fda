export type OutboxEventType = 'ORDER_PAID' | 'ORDER_REFUNDED';
export type OutboxStatus = 'PENDING' | 'DELIVERED' | 'FAILED';

/** The order as the data platform receives it. */
export interface PlatformOrder {
  id: number;
  userId: number;
  items: { productId: number; quantity: number; unitPrice: number }[];
  totalAmount: number;
  discountAmount: number;
  payAmount: number;
  paidAt: string | null;
}

/** The body POSTed to the data platform; stored whole in the outbox row. */
export interface PlatformEvent {
  eventId: string;
  type: OutboxEventType;
  occurredAt: string;
  order: PlatformOrder;
}

export interface OutboxCounts {
  pending: number;
  delivered: number;
  failed: number;
}
