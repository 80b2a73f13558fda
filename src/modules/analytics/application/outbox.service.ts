import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../../../common/clock/clock';
import { OutboxCounts, OutboxEventType, PlatformOrder } from '../domain/outbox-event';
import { OutboxRepository } from '../domain/outbox.repository';

@Injectable()
export class OutboxService {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Records an event for the data platform in the caller's transaction: it commits (and is
   * later delivered) exactly when the payment or cancellation commits.
   */
  async record(type: OutboxEventType, order: PlatformOrder): Promise<void> {
    const now = this.clock.now();
    await this.outbox.add(
      { eventId: randomUUID(), type, occurredAt: now.toISOString(), order },
      order.id,
      now,
    );
  }

  counts(): Promise<OutboxCounts> {
    return this.outbox.counts();
  }
}
