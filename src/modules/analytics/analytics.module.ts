import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { ProductModule } from '../product/product.module';
import { OutboxRelay } from './application/outbox-relay';
import { OutboxService } from './application/outbox.service';
import { PopularProductsService } from './application/popular-products.service';
import { SalesProjector } from './application/sales-projector';
import { DataPlatformClient } from './domain/data-platform.client';
import { OutboxRepository } from './domain/outbox.repository';
import { SalesRepository } from './domain/sales.repository';
import { HttpDataPlatformClient } from './infrastructure/http-data-platform.client';
import { LogDataPlatformClient } from './infrastructure/log-data-platform.client';
import { TypeOrmOutboxRepository } from './infrastructure/typeorm-outbox.repository';
import { TypeOrmSalesRepository } from './infrastructure/typeorm-sales.repository';
import { OutboxController } from './presentation/outbox.controller';
import { PopularProductsController } from './presentation/popular-products.controller';

/** The data platform outbox and relay, and the sales figures behind popular products. */
@Module({
  imports: [ProductModule],
  controllers: [OutboxController, PopularProductsController],
  providers: [
    OutboxService,
    OutboxRelay,
    SalesProjector,
    PopularProductsService,
    { provide: OutboxRepository, useClass: TypeOrmOutboxRepository },
    { provide: SalesRepository, useClass: TypeOrmSalesRepository },
    {
      provide: DataPlatformClient,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        config.dataPlatformUrl
          ? new HttpDataPlatformClient(config.dataPlatformUrl, config.dataPlatformTimeoutMs)
          : new LogDataPlatformClient(),
    },
  ],
  exports: [OutboxService],
})
export class AnalyticsModule {}
