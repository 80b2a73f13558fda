import { Module } from '@nestjs/common';
import { OrderModule } from '../order/order.module';
import { ProductModule } from '../product/product.module';
import { CartService } from './application/cart.service';
import { CartRepository } from './domain/cart.repository';
import { TypeOrmCartRepository } from './infrastructure/typeorm-cart.repository';
import { CartController } from './presentation/cart.controller';

@Module({
  imports: [ProductModule, OrderModule],
  controllers: [CartController],
  providers: [CartService, { provide: CartRepository, useClass: TypeOrmCartRepository }],
})
export class CartModule {}
