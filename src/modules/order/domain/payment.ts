/** The balance payment of an order. */
export interface Payment {
  id: number;
  amount: number;
  paidAt: Date;
  refundedAt: Date | null;
}
