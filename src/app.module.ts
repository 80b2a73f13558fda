import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { CommonModule } from './common/common.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { AnalyticsModule } from './modules/analytics';
import { BalanceModule } from './modules/balance';
import { CartModule } from './modules/cart';
import { CouponModule } from './modules/coupon';
import { OrderModule } from './modules/order';
import { OutboxModule } from './modules/outbox';
import { ProductModule } from './modules/product';

@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forConfig(config),
        ScheduleModule.forRoot(),
        CommonModule,
        ProductModule,
        BalanceModule,
        CouponModule,
        OrderModule,
        CartModule,
        OutboxModule,
        AnalyticsModule,
      ],
    };
  }
}
