import { Module, OnModuleInit } from '@nestjs/common';
import { Metrics } from '../../common/metrics/metrics';
import { AppConfig } from '../../config/app-config';
import { OutboxLagWatch } from './application/outbox-lag-watch';
import { OutboxRelay } from './application/outbox-relay';
import { OutboxService } from './application/outbox.service';
import { DataPlatformClient } from './domain/data-platform.client';
import { OutboxRepository } from './domain/outbox.repository';
import { HttpDataPlatformClient } from './infrastructure/http-data-platform.client';
import { LogDataPlatformClient } from './infrastructure/log-data-platform.client';
import { NatsDataPlatformClient } from './infrastructure/nats-data-platform.client';
import { SqlOutboxRepository } from './infrastructure/sql-outbox.repository';
import { OutboxController } from './presentation/outbox.controller';

/** The transport DATA_PLATFORM_URL names: JetStream, HTTP, or (unset) the log. */
function dataPlatformClient(config: AppConfig): DataPlatformClient {
  const url = config.dataPlatformUrl;
  if (url === null) return new LogDataPlatformClient();
  if (url.startsWith('nats://')) {
    return new NatsDataPlatformClient({
      servers: url.slice('nats://'.length).split(','),
      subjectPrefix: config.dataPlatformSubject,
      stream: config.dataPlatformStream,
      timeoutMs: config.dataPlatformTimeoutMs,
    });
  }
  return new HttpDataPlatformClient(url, config.dataPlatformTimeoutMs);
}

/**
 * The transactional outbox: events written in the business transaction that caused them (order
 * writes them), relayed to the data platform afterwards, and read by the sales projection
 * (analytics).
 */
@Module({
  controllers: [OutboxController],
  providers: [
    OutboxService,
    OutboxRelay,
    OutboxLagWatch,
    { provide: OutboxRepository, useClass: SqlOutboxRepository },
    { provide: DataPlatformClient, inject: [AppConfig], useFactory: dataPlatformClient },
  ],
  exports: [OutboxService],
})
export class OutboxModule implements OnModuleInit {
  constructor(
    private readonly outbox: OutboxService,
    private readonly metrics: Metrics,
  ) {}

  /** The backlog, read when Prometheus scrapes (two indexed queries). */
  onModuleInit(): void {
    this.metrics.gauge(
      'outbox_events',
      'Undelivered outbox events by status',
      ['status'],
      async (gauge) => {
        const { pending, failed } = await this.outbox.countUndelivered();
        gauge.set({ status: 'pending' }, pending);
        gauge.set({ status: 'failed' }, failed);
      },
      'max',
    );
    this.metrics.gauge(
      'outbox_oldest_pending_age_seconds',
      'Age of the oldest undelivered outbox event (0 when none): the data platform lag',
      [],
      async (gauge) => gauge.set(await this.outbox.oldestPendingSeconds()),
      'max',
    );
  }
}
