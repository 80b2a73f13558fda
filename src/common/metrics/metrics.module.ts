import { Global, Module, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Metrics } from './metrics';
import { MetricsServer } from './metrics-server';
import { registerDatabaseMetrics } from './database-metrics';

/** Prometheus metrics: the registry every part records into, and its own listener. */
@Global()
@Module({
  providers: [Metrics, MetricsServer],
  exports: [Metrics, MetricsServer],
})
export class MetricsModule implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    registerDatabaseMetrics(this.metrics, this.dataSource);
  }
}
