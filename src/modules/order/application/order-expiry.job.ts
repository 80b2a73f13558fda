import { Injectable } from '@nestjs/common';
import { NonOverlappingInterval } from '../../../common/schedule/non-overlapping-interval';
import { OrderService } from './order.service';

const SWEEP_INTERVAL_MS = 1_000;
const BATCH_SIZE = 100;

/**
 * Turns unpaid orders past their expiresAt into EXPIRED within about a second, returning stock
 * and coupon. Each order is expired in its own short transaction; safe in every process at once.
 */
@Injectable()
export class OrderExpiryJob {
  constructor(private readonly orders: OrderService) {}

  @NonOverlappingInterval(SWEEP_INTERVAL_MS, 'order expiry sweep')
  async tick(): Promise<void> {
    await this.sweep();
  }

  /** Expires every order that is due now; returns how many it expired. */
  async sweep(): Promise<number> {
    let expired = 0;
    for (;;) {
      const ids = await this.orders.findExpiredIds(BATCH_SIZE);
      let progressed = 0;
      for (const id of ids) {
        if (await this.orders.expireIfDue(id)) progressed++;
      }
      expired += progressed;
      if (ids.length < BATCH_SIZE || progressed === 0) return expired;
    }
  }
}
