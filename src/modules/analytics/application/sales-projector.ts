import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { TransactionRunner } from '../../../common/database/transaction-runner';
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
  private readonly logger = new Logger(SalesProjector.name);
  private running = false;

  constructor(
    private readonly outbox: OutboxService,
    private readonly sales: SalesRepository,
    private readonly transactions: TransactionRunner,
  ) {}

  @Interval(PROJECT_INTERVAL_MS)
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while ((await this.projectBatch()) === BATCH_SIZE);
    } catch (error) {
      this.logger.warn(`sales projection failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
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
