import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../../../common/clock/clock';
import { TransactionRunner } from '../../../common/database/transaction-runner';
import {
  OutboxCounts,
  OutboxEventType,
  PlatformEvent,
  PlatformOrder,
} from '../domain/outbox-event';
import { OutboxRepository } from '../domain/outbox.repository';

export interface OutboxStatus extends OutboxCounts {
  /** Age of the oldest event not yet delivered, whole seconds; 0 when there is none. */
  oldestPendingSeconds: number;
}

@Injectable()
export class OutboxService {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /**
   * Records an event for the data platform in the caller's transaction: it commits (and is
   * later delivered) exactly when the payment or cancellation commits.
   */
  async record(type: OutboxEventType, order: PlatformOrder): Promise<void> {
    this.transactions.requireTransaction();
    const now = this.clock.now();
    await this.outbox.add(
      { eventId: randomUUID(), type, occurredAt: now.toISOString(), order },
      order.id,
      now,
    );
  }

  async status(): Promise<OutboxStatus> {
    const [counts, oldestPendingSeconds] = await Promise.all([
      this.outbox.counts(),
      this.oldestPendingSeconds(),
    ]);
    return { ...counts, oldestPendingSeconds };
  }

  async oldestPendingSeconds(): Promise<number> {
    return this.ageInSeconds(await this.outbox.oldestUndeliveredAt());
  }

  countUndelivered(): Promise<{ pending: number; failed: number }> {
    return this.outbox.countUndelivered();
  }

  /** How far the sales figures are behind the outbox: the oldest uncounted event's age. */
  async projectionLagSeconds(): Promise<number> {
    return this.ageInSeconds(await this.outbox.oldestUnprojectedAt());
  }

  private ageInSeconds(since: Date | null): number {
    if (since === null) return 0;
    return Math.max(0, Math.floor((this.clock.now().getTime() - since.getTime()) / 1000));
  }

  /**
   * Up to `limit` events not yet counted into the sales figures, marked counted; both take
   * effect only when the caller's transaction commits (the sales projection's exactly once).
   */
  takeUnprojected(limit: number): Promise<PlatformEvent[]> {
    this.transactions.requireTransaction();
    return this.outbox.takeUnprojected(limit);
  }

  /** Every FAILED event is delivered again (an operator's answer to OUTBOX_MAX_ATTEMPTS). */
  requeueFailed(): Promise<number> {
    return this.outbox.requeueFailed(this.clock.now());
  }
}
