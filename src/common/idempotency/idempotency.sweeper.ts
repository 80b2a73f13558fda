import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Clock } from '../clock/clock';
import { IdempotencyStore } from './idempotency.store';

/** Deletes idempotency records older than their 24 h retention, a batch at a time. */
@Injectable()
export class IdempotencySweeper {
  private readonly logger = new Logger(IdempotencySweeper.name);

  constructor(
    private readonly store: IdempotencyStore,
    private readonly clock: Clock,
  ) {}

  @Interval(60_000)
  async sweep(): Promise<void> {
    try {
      const deleted = await this.store.deleteExpired(this.clock.now(), 1000);
      if (deleted > 0) this.logger.log(`deleted ${deleted} expired idempotency keys`);
    } catch (error) {
      this.logger.warn(`idempotency sweep failed: ${(error as Error).message}`);
    }
  }
}
