import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Clock } from '../../../common/clock/clock';
import { AppConfig } from '../../../config/app-config';
import { DataPlatformClient } from '../domain/data-platform.client';
import { OutboxRepository } from '../domain/outbox.repository';
import { nextRetryDelayMs, RetryPolicy } from '../domain/retry-policy';

const RELAY_INTERVAL_MS = 500;
const BATCH_SIZE = 50;

/**
 * Delivers outbox events to the data platform after their transaction committed, at least once:
 * claim a batch, send each, then mark it delivered or schedule a retry with backoff.
 * Runs in every process; claims (SKIP LOCKED plus a lease) keep them from sending one event twice
 * in the common case. A claim outlives a crashed relay only by its lease, so nothing is lost.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly policy: RetryPolicy;
  private readonly leaseMs: number;
  private running = false;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly platform: DataPlatformClient,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.policy = { maxAttempts: config.outbox.maxAttempts, baseMs: config.outbox.retryBaseMs, maxMs: config.outbox.retryMaxMs };
    // Long enough for a whole batch of sends to time out one after the other.
    this.leaseMs = config.dataPlatformTimeoutMs * BATCH_SIZE + 5_000;
  }

  @Interval(RELAY_INTERVAL_MS)
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while ((await this.relayBatch()) === BATCH_SIZE);
    } catch (error) {
      this.logger.warn(`outbox relay failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }

  /** Delivers one batch of due events; returns how many it claimed. */
  async relayBatch(): Promise<number> {
    const claimed = await this.outbox.claimDue(this.clock.now(), BATCH_SIZE, this.leaseMs);
    for (const { id, attempts, event } of claimed) {
      try {
        await this.platform.send(event);
        await this.outbox.markDelivered(id, this.clock.now());
      } catch (error) {
        const failed = attempts + 1;
        const delay = nextRetryDelayMs(failed, this.policy);
        const nextAttemptAt = delay === null ? null : new Date(this.clock.now().getTime() + delay);
        await this.outbox.markAttemptFailed(id, nextAttemptAt, (error as Error).message);
        if (nextAttemptAt === null) {
          this.logger.error(`event ${event.eventId} FAILED after ${failed} attempts: ${(error as Error).message}`);
        }
      }
    }
    return claimed.length;
  }
}
