import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { ProductModule } from '../product/product.module';
import { OutboxLagWatch } from './application/outbox-lag-watch';
import { OutboxRelay } from './application/outbox-relay';
import { OutboxService } from './application/outbox.service';
import { PopularProductsService } from './application/popular-products.service';
import { SalesProjector } from './application/sales-projector';
import { DataPlatformClient } from './domain/data-platform.client';
import { OutboxRepository } from './domain/outbox.repository';
import { SalesRepository } from './domain/sales.repository';
import { HttpDataPlatformClient } from './infrastructure/http-data-platform.client';
import { LogDataPlatformClient } from './infrastructure/log-data-platform.client';
import { NatsDataPlatformClient } from './infrastructure/nats-data-platform.client';
import { TypeOrmOutboxRepository } from './infrastructure/typeorm-outbox.repository';
import { TypeOrmSalesRepository } from './infrastructure/typeorm-sales.repository';
import { OutboxController } from './presentation/outbox.controller';
import { PopularProductsController } from './presentation/popular-products.controller';

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

/** The data platform outbox and relay, and the sales figures behind popular products. */
@Module({
  imports: [ProductModule],
  controllers: [OutboxController, PopularProductsController],
  providers: [
    OutboxService,
    OutboxRelay,
    OutboxLagWatch,
    SalesProjector,
    PopularProductsService,
    { provide: OutboxRepository, useClass: TypeOrmOutboxRepository },
    { provide: SalesRepository, useClass: TypeOrmSalesRepository },
    { provide: DataPlatformClient, inject: [AppConfig], useFactory: dataPlatformClient },
  ],
  exports: [OutboxService],
})
export class AnalyticsModule {}
