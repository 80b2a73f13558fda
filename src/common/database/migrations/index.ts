import { Foundation1764000000000 } from './1764000000000-foundation';
import { CouponsOrders1764000001000 } from './1764000001000-coupons-orders';

/** Every migration, in order. New ones are appended here. */
export const MIGRATIONS = [Foundation1764000000000, CouponsOrders1764000001000];
