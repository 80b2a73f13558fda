import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../../common/database/transaction-runner';
import { NonOverlappingInterval } from '../../../common/schedule/non-overlapping-interval';
import { OutboxService } from '../../outbox';
import { salesDeltas } from '../domain/sales-delta';
import { SalesRepository } from '../domain/sales.repository';

const PROJECT_INTERVAL_MS = 1_000;
const BATCH_SIZE = 500;

/**
 * Counts paid and refunded orders into the per-day sales aggregate, exactly once per event:
 * taking the events and adding their deltas commit together. Background work, off the payment
 * path; safe in every process (SKIP LOCKED).
 */
@Injectable()
export class SalesProjector {
  constructor(
    private readonly outbox: OutboxService,
    private readonly sales: SalesRepository,
    private readonly transactions: TransactionRunner,
  ) {}

  @NonOverlappingInterval(PROJECT_INTERVAL_MS, 'sales projection')
  async tick(): Promise<void> {
    while ((await this.projectBatch()) === BATCH_SIZE);
  }

  /** Projects one batch; returns how many events it took. */
  async projectBatch(): Promise<number> {
    return this.transactions.run(async () => {
      const events = await this.outbox.takeUnprojected(BATCH_SIZE);
      await this.sales.add(salesDeltas(events));
      return events.length;
    }, 'READ COMMITTED');
  }
}
