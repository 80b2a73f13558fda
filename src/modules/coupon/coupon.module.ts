import { Module } from '@nestjs/common';
import { CouponService } from './application/coupon.service';
import { CouponRepository } from './domain/coupon.repository';
import { TypeOrmCouponRepository } from './infrastructure/typeorm-coupon.repository';
import { CouponController } from './presentation/coupon.controller';
import { IssuedCouponController } from './presentation/issued-coupon.controller';

@Module({
  controllers: [CouponController, IssuedCouponController],
  providers: [CouponService, { provide: CouponRepository, useClass: TypeOrmCouponRepository }],
  exports: [CouponService],
})
export class CouponModule {}
