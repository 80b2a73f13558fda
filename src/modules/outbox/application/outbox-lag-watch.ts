import { Injectable, Logger } from '@nestjs/common';
import { NonOverlappingInterval } from '../../../common/schedule/non-overlapping-interval';
import { AppConfig } from '../../../config/app-config';
import { OutboxService } from './outbox.service';

const CHECK_INTERVAL_MS = 15_000;

/**
 * Warns while the data platform falls behind: every 15 s, while the oldest undelivered event is
 * older than OUTBOX_LAG_WARN_SECONDS, a warning with its age; once it is back under, one line
 * saying so. Retries go on regardless (the relay never gives up unless told to).
 */
@Injectable()
export class OutboxLagWatch {
  private readonly logger = new Logger(OutboxLagWatch.name);
  private lagging = false;

  constructor(
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
  ) {}

  @NonOverlappingInterval(CHECK_INTERVAL_MS, 'outbox lag check')
  async check(): Promise<void> {
    const threshold = this.config.outbox.lagWarnSeconds;
    if (threshold === 0) return;
    let age: number;
    try {
      age = await this.outbox.oldestPendingSeconds();
    } catch {
      return; // the database is away: the relay and /health say so
    }
    if (age > threshold) {
      this.lagging = true;
      this.logger.warn(
        `data platform falling behind: the oldest undelivered event is ${age} s old (OUTBOX_LAG_WARN_SECONDS=${threshold})`,
      );
    } else if (this.lagging) {
      this.lagging = false;
      this.logger.log(`data platform caught up: the oldest undelivered event is ${age} s old`);
    }
  }
}
