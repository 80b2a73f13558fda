import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { OrderService } from './order.service';

const SWEEP_INTERVAL_MS = 1_000;
const BATCH_SIZE = 100;

/**
 * Turns unpaid orders past their expiresAt into EXPIRED within about a second, returning stock
 * and coupon. Each order is expired in its own short transaction; safe in every process at once.
 */
@Injectable()
export class OrderExpiryJob {
  private readonly logger = new Logger(OrderExpiryJob.name);
  private running = false;

  constructor(private readonly orders: OrderService) {}

  @Interval(SWEEP_INTERVAL_MS)
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.sweep();
    } catch (error) {
      this.logger.warn(`order expiry sweep failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
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
