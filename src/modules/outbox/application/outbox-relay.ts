import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../common/clock/clock';
import { TransactionRunner } from '../../../common/database/transaction-runner';
import { Metrics } from '../../../common/metrics/metrics';
import { NonOverlappingInterval } from '../../../common/schedule/non-overlapping-interval';
import { AppConfig } from '../../../config/app-config';
import { DataPlatformClient } from '../domain/data-platform.client';
import { ClaimedEvent, OutboxRepository } from '../domain/outbox.repository';
import { nextRetryDelayMs, RetryPolicy } from '../domain/retry-policy';

const RELAY_INTERVAL_MS = 500;
const BATCH_SIZE = 50;

/** A claimed event, with the outcome of sending it once it was sent. */
interface RelayItem extends ClaimedEvent {
  sent?: { delivered: true } | { delivered: false; error: string };
}

/**
 * Delivers outbox events to the data platform after their transaction committed, at least once:
 * claim a batch, send its events at once, then mark them delivered or schedule a retry with
 * backoff (until delivered, unless OUTBOX_MAX_ATTEMPTS is set). Runs in every process; claims
 * (SKIP LOCKED plus a lease) keep them from sending one event twice in the common case. A claim
 * outlives a crashed relay only by its lease, so nothing is lost. A batch holds at most one event
 * per order (see OutboxRepository.claimDue), so sending it at once keeps each order's order.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly policy: RetryPolicy;
  private readonly leaseMs: number;
  /**
   * Claimed events whose outcome could not be recorded because the database went away mid-batch.
   * The next batch finishes them first, without sending again what was already sent, so after an
   * outage delivery resumes at once instead of after the claims' lease. Once their lease has run
   * out they are dropped: the events are due again in the table, for any relay to claim.
   */
  private backlog: RelayItem[] = [];
  private backlogClaimedAt = 0;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly platform: DataPlatformClient,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    this.policy = {
      maxAttempts: config.outbox.maxAttempts,
      baseMs: config.outbox.retryBaseMs,
      maxMs: config.outbox.retryMaxMs,
    };
    // The batch is sent at once: long enough for its sends to time out, and to record them.
    this.leaseMs = config.dataPlatformTimeoutMs + 5_000;
  }

  @NonOverlappingInterval(RELAY_INTERVAL_MS, 'outbox relay')
  async tick(): Promise<void> {
    while ((await this.relayBatch()) === BATCH_SIZE);
  }

  /** Delivers one batch of due events (or finishes the backlog); returns how many it took. */
  async relayBatch(): Promise<number> {
    const claimedAt = this.clock.now().getTime();
    if (this.backlog.length > 0 && claimedAt - this.backlogClaimedAt >= this.leaseMs)
      this.backlog = [];
    const fromBacklog = this.backlog.length > 0;
    const batch: RelayItem[] = fromBacklog ? this.backlog.splice(0) : await this.claim(claimedAt);
    const taken = batch.length;
    if (!fromBacklog) this.backlogClaimedAt = claimedAt;
    await Promise.all(batch.map(async (item) => (item.sent ??= await this.send(item))));
    try {
      const delivered = batch.filter((item) => item.sent?.delivered);
      if (delivered.length > 0) {
        await this.outbox.markDelivered(
          delivered.map((item) => item.id),
          this.clock.now(),
        );
        batch.splice(0, batch.length, ...batch.filter((item) => !item.sent?.delivered));
      }
      while (batch.length > 0) {
        await this.recordFailure(batch[0]);
        batch.shift();
      }
    } finally {
      // Recording failed (the database is away): keep the rest, still claimed, for the next tick.
      if (batch.length > 0) this.backlog.push(...batch);
    }
    return taken;
  }

  /** One short READ COMMITTED transaction (no gap locks): the claim, committed before any send. */
  private claim(claimedAt: number): Promise<ClaimedEvent[]> {
    return this.transactions.run(
      () => this.outbox.claimDue(new Date(claimedAt), BATCH_SIZE, this.leaseMs),
      'READ COMMITTED',
    );
  }

  private async send({ event }: RelayItem): Promise<NonNullable<RelayItem['sent']>> {
    try {
      await this.platform.send(event);
      this.metrics.outboxDeliveries.inc({
        transport: this.platform.transport,
        result: 'delivered',
      });
      return { delivered: true };
    } catch (error) {
      this.metrics.outboxDeliveries.inc({ transport: this.platform.transport, result: 'failed' });
      return { delivered: false, error: (error as Error).message };
    }
  }

  private async recordFailure({ id, attempts, event, sent }: RelayItem): Promise<void> {
    if (!sent || sent.delivered) return;
    const failed = attempts + 1;
    const delay = nextRetryDelayMs(failed, this.policy);
    const nextAttemptAt = delay === null ? null : new Date(this.clock.now().getTime() + delay);
    await this.outbox.markAttemptFailed(id, nextAttemptAt, sent.error);
    if (nextAttemptAt === null) {
      this.logger.error(`event ${event.eventId} FAILED after ${failed} attempts: ${sent.error}`);
    }
  }
}
