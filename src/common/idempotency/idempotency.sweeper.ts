import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { NonOverlappingInterval } from '../schedule/non-overlapping-interval';
import { IdempotencyStore } from './idempotency.store';

/** Deletes idempotency records older than their 24 h retention, a batch at a time. */
@Injectable()
export class IdempotencySweeper {
  private readonly logger = new Logger(IdempotencySweeper.name);

  constructor(
    private readonly store: IdempotencyStore,
    private readonly clock: Clock,
  ) {}

  @NonOverlappingInterval(60_000, 'idempotency sweep')
  async sweep(): Promise<void> {
    const deleted = await this.store.deleteExpired(this.clock.now(), 1000);
    if (deleted > 0) this.logger.log(`deleted ${deleted} expired idempotency keys`);
  }
}
