import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProductService } from './application/product.service';
import { ProductRepository } from './domain/product.repository';
import { ProductOrmEntity } from './infrastructure/product.orm-entity';
import { TypeOrmProductRepository } from './infrastructure/typeorm-product.repository';
import { ProductController } from './presentation/product.controller';

@Module({
  imports: [TypeOrmModule.forFeature([ProductOrmEntity])],
  controllers: [ProductController],
  providers: [ProductService, { provide: ProductRepository, useClass: TypeOrmProductRepository }],
  exports: [ProductService],
})
export class ProductModule {}
