/** One product of an order, priced when the order was placed. */
export interface OrderLine {
  productId: number;
  name: string;
  unitPrice: number;
  quantity: number;
  amount: number;
}

export const MAX_ORDER_LINES = 50;
export const MAX_LINE_QUANTITY = 1_000;

/** What an order of these lines costs before any discount: the one place it is summed. */
export function orderTotal(lines: readonly OrderLine[]): number {
  return lines.reduce((sum, line) => sum + line.amount, 0);
}

export function orderLine(
  product: { id: number; name: string; price: number },
  quantity: number,
): OrderLine {
  return {
    productId: product.id,
    name: product.name,
    unitPrice: product.price,
    quantity,
    amount: product.price * quantity,
  };
}
