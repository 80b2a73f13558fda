import { Module, OnModuleInit } from '@nestjs/common';
import { sharedCache } from '../../common/cache/shared-cache.module';
import { Metrics } from '../../common/metrics/metrics';
import { OutboxModule, OutboxService } from '../outbox';
import { ProductModule } from '../product';
import { PopularProductsService } from './application/popular-products.service';
import { SalesProjector } from './application/sales-projector';
import { SalesRepository } from './domain/sales.repository';
import { SqlSalesRepository } from './infrastructure/sql-sales.repository';
import { PopularProductsController } from './presentation/popular-products.controller';

/** The sales figures behind popular products, projected from the outbox's events. */
@Module({
  imports: [ProductModule, OutboxModule, sharedCache('popular')],
  controllers: [PopularProductsController],
  providers: [
    SalesProjector,
    PopularProductsService,
    { provide: SalesRepository, useClass: SqlSalesRepository },
  ],
})
export class AnalyticsModule implements OnModuleInit {
  constructor(
    private readonly outbox: OutboxService,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    this.metrics.gauge(
      'sales_projector_lag_seconds',
      'Age of the oldest event not yet counted into the popular-products figures (0 when none)',
      [],
      async (gauge) => gauge.set(await this.outbox.projectionLagSeconds()),
      'max',
    );
  }
}
