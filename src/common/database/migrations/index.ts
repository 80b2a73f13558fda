import { Foundation1764000000000 } from './1764000000000-foundation';
import { CouponsOrders1764000001000 } from './1764000001000-coupons-orders';
import { ProductSalesDaily1764000002000 } from './1764000002000-product-sales-daily';
import { Cart1764000003000 } from './1764000003000-cart';
import { OutboxPerOrder1764000004000 } from './1764000004000-outbox-per-order';
import { ProductReserved1764000005000 } from './1764000005000-product-reserved';

/** Every migration, in order. New ones are appended here. */
export const MIGRATIONS = [
  Foundation1764000000000,
  CouponsOrders1764000001000,
  ProductSalesDaily1764000002000,
  Cart1764000003000,
  OutboxPerOrder1764000004000,
  ProductReserved1764000005000,
];
