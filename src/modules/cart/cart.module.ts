import { Module } from '@nestjs/common';
import { OrderModule } from '../order';
import { ProductModule } from '../product';
import { CartService } from './application/cart.service';
import { CartRepository } from './domain/cart.repository';
import { SqlCartRepository } from './infrastructure/sql-cart.repository';
import { CartController } from './presentation/cart.controller';

@Module({
  imports: [ProductModule, OrderModule],
  controllers: [CartController],
  providers: [CartService, { provide: CartRepository, useClass: SqlCartRepository }],
})
export class CartModule {}
