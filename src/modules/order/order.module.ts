import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { BalanceModule } from '../balance/balance.module';
import { CouponModule } from '../coupon/coupon.module';
import { ProductModule } from '../product/product.module';
import { OrderExpiryJob } from './application/order-expiry.job';
import { OrderService } from './application/order.service';
import { OrderRepository } from './domain/order.repository';
import { TypeOrmOrderRepository } from './infrastructure/typeorm-order.repository';
import { OrderController } from './presentation/order.controller';

@Module({
  imports: [ProductModule, CouponModule, BalanceModule, AnalyticsModule],
  controllers: [OrderController],
  providers: [
    OrderService,
    OrderExpiryJob,
    { provide: OrderRepository, useClass: TypeOrmOrderRepository },
  ],
  exports: [OrderService],
})
export class OrderModule {}
