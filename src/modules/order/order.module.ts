import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox';
import { BalanceModule } from '../balance';
import { CouponModule } from '../coupon';
import { ProductModule } from '../product';
import { OrderExpiryJob } from './application/order-expiry.job';
import { OrderService } from './application/order.service';
import { OrderRepository } from './domain/order.repository';
import { SqlOrderRepository } from './infrastructure/sql-order.repository';
import { OrderController } from './presentation/order.controller';

@Module({
  imports: [ProductModule, CouponModule, BalanceModule, OutboxModule],
  controllers: [OrderController],
  providers: [
    OrderService,
    OrderExpiryJob,
    { provide: OrderRepository, useClass: SqlOrderRepository },
  ],
  exports: [OrderService],
})
export class OrderModule {}
