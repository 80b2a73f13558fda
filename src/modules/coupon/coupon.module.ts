import { Module } from '@nestjs/common';
import { CouponService } from './application/coupon.service';
import { CouponRepository } from './domain/coupon.repository';
import { SqlCouponRepository } from './infrastructure/sql-coupon.repository';
import { CouponController } from './presentation/coupon.controller';
import { IssuedCouponController } from './presentation/issued-coupon.controller';

@Module({
  controllers: [CouponController, IssuedCouponController],
  providers: [CouponService, { provide: CouponRepository, useClass: SqlCouponRepository }],
  exports: [CouponService],
})
export class CouponModule {}
