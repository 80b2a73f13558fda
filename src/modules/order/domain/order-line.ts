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
